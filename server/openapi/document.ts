/** The OpenAPI 3.1 document of the API, generated once from the zod schemas (server/openapi/paths.ts). */
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { apiRegistry } from './paths.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

let cached: OpenApiDocument | null = null;

/** The document; built on first use (the schemas do not change while the server runs). */
export function openApiDocument(): OpenApiDocument {
  cached ??= new OpenApiGeneratorV31(apiRegistry().definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hồ sơ trình UBND tỉnh: API',
      version: '1',
      description:
        'The API the web app uses; every person reaches the engine through it. Sign in with POST /auth/login (a session cookie), then send the ' +
        'returned csrfToken in the x-csrf-token header of every change. Every refusal is { error: { code, message } } with a Vietnamese message; ' +
        'a broken rule of the directive carries its rule (R-nn) and the field at fault.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/api' }],
  });
  return cached;
}
