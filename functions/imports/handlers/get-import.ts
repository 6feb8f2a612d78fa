import { httpHandler } from '#shared/http/handler';
import { getImportRoute } from '../contracts';
import { getImport } from '../use-cases/uploads';
import { importView } from '../views';
import { uploadDeps } from '../wiring-uploads';

const deps = uploadDeps();

export const handler = httpHandler(getImportRoute, async ({ caller, path }) => {
  const { record, reportUrl } = await getImport(deps, caller, path.importId);
  return importView(record, reportUrl);
});
