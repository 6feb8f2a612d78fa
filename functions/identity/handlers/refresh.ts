import { httpHandler } from '#shared/http/handler';
import { refreshRoute } from '../contracts';
import { identityProvider, systemClock } from '../dependencies';
import { refreshSession } from '../use-cases/sessions';

const deps = { idp: identityProvider(), now: systemClock };

export const handler = httpHandler(refreshRoute, ({ body }) => refreshSession(deps, body));
