/**
 * GET /api/openapi.json and GET /api/docs. Both are readable without signing in: they describe
 * what the public repository already shows, hold no data, and tools (client generators,
 * gateways) and operators fetch them without a session.
 */
import express from 'express';
import { openApiDocument } from './document.ts';
import { renderReferencePage } from './page.ts';

export { openApiDocument } from './document.ts';

export function openApiRoutes(): express.Router {
  const r = express.Router();
  let page: string | null = null;
  r.get('/openapi.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(openApiDocument());
  });
  r.get('/docs', (_req, res) => {
    page ??= renderReferencePage(openApiDocument());
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(page);
  });
  return r;
}
