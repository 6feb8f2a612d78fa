import { httpHandler } from '#shared/http/handler';
import { resetPasswordRoute } from '../contracts';
import { identityProvider } from '../dependencies';
import { resetPassword } from '../use-cases/account-recovery';

const deps = { idp: identityProvider() };

export const handler = httpHandler(resetPasswordRoute, ({ body }) => resetPassword(deps, body));
