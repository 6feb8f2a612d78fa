/*
 * Starts cognito-local the way its bin (lib/bin/start.js) does, with two extra API targets it lacks:
 * GlobalSignOut and AdminUserGlobalSignOut. Zepto's logout relies on GlobalSignOut semantics: afterwards
 * none of the user's refresh tokens may mint new tokens. cognito-local keeps a user's refresh tokens in
 * `user.RefreshTokens` (InitiateAuth REFRESH_TOKEN_AUTH only accepts tokens listed there; RevokeToken
 * removes one), so signing out everywhere = emptying that list.
 *
 * Plain CommonJS (no tsx) so it starts fast. Reads HOST and PORT like cognito-local; data lives in
 * `.cognito/` under the working directory. Readiness: GET /health.
 */

'use strict';
const path = require('node:path');

const root = path.dirname(require.resolve('cognito-local/package.json'));
const lib = (p) => require(path.join(root, 'lib', p));
const fromCognitoLocal = (name) => require(require.resolve(name, { paths: [root] }));

const { Targets } = lib('targets/targets');
const { NotAuthorizedError, UserNotFoundError } = lib('errors');
const { createDefaultServer } = lib('server');
const publicKey = lib('keys/cognitoLocal.public.json');
const jwt = fromCognitoLocal('jsonwebtoken');
const pino = fromCognitoLocal('pino');

const signOut = async (ctx, userPool, username) => {
  const user = await userPool.getUserByUsername(ctx, username);
  if (!user) throw new UserNotFoundError('User does not exist.');
  await userPool.saveUser(ctx, { ...user, RefreshTokens: [] });
  return {};
};

// The Router looks targets up in this object on each request (isSupportedTarget uses Object.keys), so
// adding keys here is enough to register them.
Targets.GlobalSignOut =
  ({ cognito }) =>
  async (ctx, req) => {
    let claims;
    try {
      claims = jwt.verify(req.AccessToken ?? '', publicKey.pem, { algorithms: ['RS256'] });
    } catch {
      throw new NotAuthorizedError('Invalid Access Token');
    }
    if (claims.token_use !== 'access') throw new NotAuthorizedError('Invalid Access Token');
    const userPool = await cognito.getUserPoolForClientId(ctx, claims.client_id);
    return signOut(ctx, userPool, claims.username);
  };

Targets.AdminUserGlobalSignOut =
  ({ cognito }) =>
  async (ctx, req) =>
    signOut(ctx, await cognito.getUserPool(ctx, req.UserPoolId), req.Username);

const logger = pino({ level: process.env.COGNITO_LOCAL_LOG_LEVEL ?? (process.env.DEBUG ? 'debug' : 'warn') });

createDefaultServer(logger)
  .then((server) => server.start())
  .then((server) => {
    const address = server.address();
    const url = `http://${address.address}:${address.port}`;
    logger.warn(`Cognito Local (with GlobalSignOut) running on ${url}`);
  })
  .catch((err) => {
    logger.error(err);
    process.exit(1);
  });
