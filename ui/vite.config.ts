import { defineConfig } from 'vite';
import path from 'node:path';

// The app is served by the express server in production (one origin); in development Vite
// serves it with hot reload and passes /api (including the event stream) to the server.
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: '/',
  build: {
    outDir: path.resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: true,
  },
  server: {
    port: Number(process.env.UI_PORT ?? 5173),
    proxy: { '/api': { target: process.env.API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
