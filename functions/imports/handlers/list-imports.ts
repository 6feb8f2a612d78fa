import { httpHandler } from '#shared/http/handler';
import { listImportsRoute } from '../contracts';
import { listImports } from '../use-cases/uploads';
import { importSummaryView } from '../views';
import { listDeps } from '../wiring-uploads';

const deps = listDeps();

export const handler = httpHandler(listImportsRoute, async ({ caller, path, query }) => {
  const page = await listImports(deps, caller, { storeId: path.storeId, ...query });
  return { items: page.items.map(importSummaryView), nextCursor: page.nextCursor };
});
