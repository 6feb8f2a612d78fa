import { httpHandler } from '#shared/http/handler';
import { forgotPasswordRoute } from '../contracts';
import { identityProvider } from '../dependencies';
import { forgotPassword } from '../use-cases/account-recovery';

const deps = { idp: identityProvider() };

export const handler = httpHandler(forgotPasswordRoute, ({ body }) => forgotPassword(deps, body));
