import { httpHandler } from '#shared/http/handler';
import { loginRoute } from '../contracts';
import { identityProvider, systemClock } from '../dependencies';
import { profileRepository } from '../profile-dependencies';
import { login } from '../use-cases/sessions';

const deps = { idp: identityProvider(), profiles: profileRepository(), now: systemClock };

export const handler = httpHandler(loginRoute, ({ body }) => login(deps, body));
