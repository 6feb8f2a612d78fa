import { httpHandler } from '#shared/http/handler';
import { assignStaffRoute } from '../admin-contracts';
import { assignStaff } from '../use-cases/stores';
import { adminStoreView } from '../views';
import { staffDeps } from '../wiring';

const deps = staffDeps();

export const handler = httpHandler(assignStaffRoute, async ({ path, body }) =>
  adminStoreView(await assignStaff(deps, { ...path, role: body.role }), deps.now()),
);
