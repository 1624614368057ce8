/**
 * Copies what the compiled server reads at run time beside its code into dist/, at the same
 * relative places as in the repository: the diagrams and their forms (dist/processes), the plain
 * fallback page (dist/server/public) and the built web app (dist/ui/dist). `npm run build` runs it
 * after tsc, so dist/ alone (with node_modules and package.json) is the runtime bundle.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');

function copy(from: string, to: string, filter: (name: string) => boolean = () => true): void {
  const source = path.join(ROOT, from);
  const target = path.join(DIST, to);
  // A stale copy (a deleted diagram, an old web app) must not survive a rebuild.
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || filter(path.basename(src)) });
}

copy('processes', 'processes', (name) => name.endsWith('.bpmn') || name.endsWith('.form'));
copy(path.join('server', 'public'), path.join('server', 'public'));
if (fs.existsSync(path.join(ROOT, 'ui', 'dist', 'index.html'))) {
  copy(path.join('ui', 'dist'), path.join('ui', 'dist'));
} else {
  // `npm run build` builds the web app first; `npm run build:server` alone serves the plain page.
  fs.rmSync(path.join(DIST, 'ui'), { recursive: true, force: true });
  console.warn('ui/dist is not built: the compiled server will serve the plain fallback page (npm run ui:build)');
}
