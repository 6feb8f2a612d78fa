/*
 * Starts cognito-local the way its bin (lib/bin/start.js) does, with three extra API targets it lacks
 * and a local mailbox:
 *
 * - GlobalSignOut and AdminUserGlobalSignOut. Zepto's logout relies on GlobalSignOut semantics: afterwards
 *   none of the user's refresh tokens may mint new tokens. cognito-local keeps a user's refresh tokens in
 *   `user.RefreshTokens` (InitiateAuth REFRESH_TOKEN_AUTH only accepts tokens listed there; RevokeToken
 *   removes one), so signing out everywhere = emptying that list.
 * - ResendConfirmationCode (POST /v1/auth/confirm/resend).
 * - GET /_local/messages?destination=<email>: the codes cognito-local "emailed" to that address (sign-up,
 *   resend, forgot password), oldest first. cognito-local only logs them (at info level, which is silenced
 *   here) and keeps the latest in the user record; this lets tests and developers read them the way a user
 *   reads their inbox. Kept in memory, so it starts empty after a restart.
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
const { InvalidParameterError, NotAuthorizedError, UserNotFoundError } = lib('errors');
const { MessagesService } = lib('services/messages');
const { selectAppropriateDeliveryMethod } = lib('services/messageDelivery/deliveryMethod');
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

// Like AWS: a new code for a user still awaiting confirmation, sent where SignUp sent the first one.
Targets.ResendConfirmationCode =
  ({ cognito, clock, messages, otp }) =>
  async (ctx, req) => {
    const userPool = await cognito.getUserPoolForClientId(ctx, req.ClientId);
    const user = await userPool.getUserByUsername(ctx, req.Username);
    if (!user) throw new UserNotFoundError('Username/client id combination not found.');
    if (user.UserStatus !== 'UNCONFIRMED') throw new InvalidParameterError('User is already confirmed.');
    const deliveryDetails = selectAppropriateDeliveryMethod(
      userPool.options.AutoVerifiedAttributes ?? [],
      user,
    );
    if (!deliveryDetails)
      throw new InvalidParameterError('User has no verified attribute to send a code to.');
    const code = otp();
    await messages.deliver(
      ctx,
      'ResendCode',
      req.ClientId,
      userPool.options.Id,
      user,
      code,
      req.ClientMetadata,
      deliveryDetails,
    );
    await userPool.saveUser(ctx, { ...user, UserLastModifiedDate: clock.get(), ConfirmationCode: code });
    return { CodeDeliveryDetails: deliveryDetails };
  };

// The local mailbox: every code message cognito-local delivers, newest last, at most MAILBOX_SIZE.
const MAILBOX_SIZE = 1000;
const mailbox = [];
const deliver = MessagesService.prototype.deliver;
MessagesService.prototype.deliver = async function (
  ctx,
  source,
  clientId,
  poolId,
  user,
  code,
  meta,
  details,
) {
  await deliver.call(this, ctx, source, clientId, poolId, user, code, meta, details);
  mailbox.push({
    source,
    destination: details?.Destination,
    username: user.Username,
    code,
    sentAt: new Date().toISOString(),
  });
  if (mailbox.length > MAILBOX_SIZE) mailbox.shift();
};

const logger = pino({ level: process.env.COGNITO_LOCAL_LOG_LEVEL ?? (process.env.DEBUG ? 'debug' : 'warn') });

createDefaultServer(logger)
  .then((server) => {
    server.application.get('/_local/messages', (req, res) => {
      const destination = String(req.query.destination ?? '');
      res.status(200).json({ messages: mailbox.filter((m) => m.destination === destination) });
    });
    return server.start();
  })
  .then((server) => {
    const address = server.address();
    const url = `http://${address.address}:${address.port}`;
    logger.warn(`Cognito Local (with Zepto's extra targets) running on ${url}`);
  })
  .catch((err) => {
    logger.error(err);
    process.exit(1);
  });
