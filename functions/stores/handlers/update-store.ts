import { httpHandler } from '#shared/http/handler';
import { updateStoreRoute } from '../admin-contracts';
import { updateStore } from '../use-cases/admin-stores';
import { adminStoreView } from '../views';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(updateStoreRoute, async ({ path, body }) =>
  adminStoreView(await updateStore(deps, path.storeId, body), deps.now()),
);
