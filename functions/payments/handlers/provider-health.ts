import { httpHandler } from '#shared/http/handler';
import { providerHealthRoute } from '../contracts';
import { providerHealth } from '../use-cases/provider-health';
import { healthDeps } from '../health-wiring';

const deps = healthDeps();

export const handler = httpHandler(providerHealthRoute, () => providerHealth(deps));
