/** Builds the web app (ui/dist) when it is missing or older than its sources, so `npm start` serves the current one. */
import fs from 'node:fs';
import path from 'node:path';

const UI = path.resolve(import.meta.dirname, '..', 'ui');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

export async function buildUiIfStale(log: (line: string) => void): Promise<void> {
  const built = path.join(UI, 'dist', 'index.html');
  const sources = Math.max(newest(path.join(UI, 'src')), fs.statSync(path.join(UI, 'index.html')).mtimeMs, fs.statSync(path.join(UI, 'vite.config.ts')).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  log('building the web app…');
  const started = Date.now();
  const { build } = await import('vite');
  // Vite sets NODE_ENV=production for its build; the processes started after it must not inherit that.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await build({ configFile: path.join(UI, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
