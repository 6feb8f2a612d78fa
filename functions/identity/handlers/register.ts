import { httpHandler } from '#shared/http/handler';
import { registerRoute } from '../contracts';
import { autoConfirmSignUp, identityProvider, systemClock } from '../dependencies';
import { profileRepository } from '../profile-dependencies';
import { register } from '../use-cases/register';

const deps = {
  idp: identityProvider(),
  profiles: profileRepository(),
  now: systemClock,
  autoConfirmSignUp: autoConfirmSignUp(),
};

export const handler = httpHandler(registerRoute, ({ body }) => register(deps, body));
