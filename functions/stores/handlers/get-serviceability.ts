import { httpHandler } from '#shared/http/handler';
import { serviceabilityRoute } from '../contracts';
import { checkServiceability } from '../use-cases/serviceability';
import { serviceabilityDeps } from '../wiring';

const deps = serviceabilityDeps();

export const handler = httpHandler(serviceabilityRoute, async ({ query }) =>
  checkServiceability(deps, query),
);
