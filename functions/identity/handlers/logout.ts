import { httpHandler } from '#shared/http/handler';
import { logoutRoute } from '../contracts';
import { identityProvider } from '../dependencies';
import { bearerToken } from '../domain/tokens';
import { logout } from '../use-cases/sessions';

const deps = { idp: identityProvider() };

// The runtime has already checked the caller's role; Cognito needs the raw access token itself.
export const handler = httpHandler(logoutRoute, ({ headers }) =>
  logout(deps, { accessToken: bearerToken(headers.authorization) }),
);
