import { httpHandler } from '#shared/http/handler';
import { getLocationRoute } from '../contracts';
import { getSavedLocation } from '../use-cases/locations';
import { savedLocationView } from '../views';
import { savedLocationDeps } from '../wiring';

const deps = savedLocationDeps();

export const handler = httpHandler(getLocationRoute, async ({ caller }) =>
  savedLocationView(await getSavedLocation(deps, caller)),
);
