import { httpHandler } from '#shared/http/handler';
import { createStoreRoute } from '../admin-contracts';
import { createStore } from '../use-cases/admin-stores';
import { adminStoreView } from '../views';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(createStoreRoute, async ({ body }) =>
  adminStoreView(await createStore(deps, body), deps.now()),
);
