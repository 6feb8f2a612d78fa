import { httpHandler } from '#shared/http/handler';
import { removeStaffRoute } from '../admin-contracts';
import { removeStaff } from '../use-cases/stores';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(removeStaffRoute, async ({ path }) => {
  await removeStaff(deps, path);
});
