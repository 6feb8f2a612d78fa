import { httpHandler } from '#shared/http/handler';
import { removeStaffRoute } from '../contracts';
import { setStaff } from '../use-cases/stores';
import { storesDeps } from '../wiring';

const deps = storesDeps();

export const handler = httpHandler(removeStaffRoute, async ({ path }) => {
  await setStaff(deps, { ...path, role: undefined });
});
