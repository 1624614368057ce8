/** Builds the web app once before the browser tests, so a clean clone tests what production serves. */
import path from 'node:path';
import { build } from 'vite';

export default async function setup() {
  const started = Date.now();
  await build({ configFile: path.resolve(import.meta.dirname, '..', '..', 'ui', 'vite.config.ts'), logLevel: 'warn' });
  console.log(`ui built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
