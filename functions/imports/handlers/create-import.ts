import { httpHandler } from '#shared/http/handler';
import { createImportRoute } from '../contracts';
import { createImport } from '../use-cases/uploads';
import { uploadDeps } from '../wiring-uploads';

const deps = uploadDeps();

export const handler = httpHandler(createImportRoute, async ({ caller, path, body }) =>
  createImport(deps, caller, path.storeId, body),
);
