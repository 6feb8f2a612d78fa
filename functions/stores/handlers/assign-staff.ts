import { httpHandler } from '#shared/http/handler';
import { assignStaffRoute } from '../contracts';
import { setStaff } from '../use-cases/stores';
import { adminStoreView } from '../views';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(assignStaffRoute, async ({ path, body }) =>
  adminStoreView(await setStaff(deps, { ...path, role: body.role }), deps.now()),
);
