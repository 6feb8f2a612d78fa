import { httpHandler } from '#shared/http/handler';
import { confirmRoute } from '../contracts';
import { identityProvider } from '../dependencies';
import { confirmSignUp } from '../use-cases/confirm-sign-up';

const deps = { idp: identityProvider() };

export const handler = httpHandler(confirmRoute, ({ body }) => confirmSignUp(deps, body));
