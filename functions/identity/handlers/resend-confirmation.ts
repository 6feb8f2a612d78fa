import { httpHandler } from '#shared/http/handler';
import { resendConfirmationRoute } from '../contracts';
import { identityProvider } from '../dependencies';
import { resendConfirmationCode } from '../use-cases/account-recovery';

const deps = { idp: identityProvider() };

export const handler = httpHandler(resendConfirmationRoute, ({ body }) => resendConfirmationCode(deps, body));
