/**
 * npm run openapi — writes docs/openapi.json, the committed copy of the OpenAPI document for API users
 * and client generators. test/unit/app/openapi.test.ts fails when the copy is stale.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { app } from './app';
import { buildOpenApiDocument } from './openapi';

export const OPENAPI_FILE = resolve(__dirname, '../../docs/openapi.json');
export const renderOpenApi = (): string => `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
}
