import { httpHandler } from '#shared/http/handler';
import { saveLocationRoute } from '../contracts';
import { saveLocation } from '../use-cases/serviceability';
import { locationDeps } from '../wiring';

const deps = locationDeps();

export const handler = httpHandler(saveLocationRoute, async ({ caller, body }) =>
  saveLocation(deps, caller, body),
);
