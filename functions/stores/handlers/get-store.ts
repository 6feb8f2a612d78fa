import { httpHandler } from '#shared/http/handler';
import { getStoreRoute } from '../contracts';
import { getStore } from '../use-cases/stores';
import { publicStoreView } from '../views';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(getStoreRoute, async ({ path }) =>
  publicStoreView(await getStore(deps, path.storeId), deps.now()),
);
