/**
 * Public routes that identify their caller (ADR 12): the function checks a presented access token itself
 * against the pool's keys from CALLER_TOKEN_JWKS — valid → the caller, anything else → 401, none →
 * anonymous; a caller the gateway already verified is taken as it is.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import * as z from 'zod/mini';
import { httpHandler } from '../../../functions/shared/http/handler';
import { defineRoute } from '../../../functions/shared/http/route';
import { invoke } from '../../support/lambda';

const ISSUER = 'https://cognito-idp.ap-south-1.amazonaws.com/ap-south-1_test';
const CLIENT_ID = 'app-client';
let poolKey: CryptoKey;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  poolKey = privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'pool-1', alg: 'RS256', use: 'sig' };
  // Read by caller-token.ts when it is first loaded, i.e. at the first request with a token.
  process.env.CALLER_TOKEN_ISSUER = ISSUER;
  process.env.CALLER_TOKEN_JWKS = JSON.stringify({ keys: [jwk] });
  process.env.CALLER_TOKEN_CLIENT_ID = CLIENT_ID;
});

const route = defineRoute({
  method: 'GET',
  path: '/v1/things/{id}',
  summary: 'A public thing',
  tags: ['test'],
  auth: { public: true, identifiesCaller: true },
  request: () => ({ pathParams: z.strictObject({ id: z.string() }) }),
  success: { status: 200, description: 'OK' },
});
const handler = httpHandler(route, async ({ optionalCaller }) => ({
  caller: optionalCaller ?? null,
}));
const get = (headers: Record<string, string> = {}, as?: { userId: string; roles: ['customer'] }) =>
  invoke(handler, { path: '/v1/things/a', pathParameters: { id: 'a' }, headers, as });

const token = (opts: { key?: CryptoKey; issuer?: string; clientId?: string; exp?: string | number } = {}) =>
  new SignJWT({
    sub: 'user-1',
    username: 'user-1',
    token_use: 'access',
    client_id: opts.clientId ?? CLIENT_ID,
    scope: 'aws.cognito.signin.user.admin',
    'cognito:groups': ['customer'],
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'pool-1' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? '1h')
    .sign(opts.key ?? poolKey);

it('is anonymous without a token', async () => {
  expect(await get()).toMatchObject({ status: 200, body: { caller: null } });
});

it("knows the caller of a valid token, raw or as 'Bearer'", async () => {
  const caller = { userId: 'user-1', username: 'user-1', roles: ['customer'] };
  expect(await get({ Authorization: await token() })).toMatchObject({ status: 200, body: { caller } });
  expect(await get({ authorization: `Bearer ${await token()}` })).toMatchObject({ body: { caller } });
});

it.each([
  ['signed with another key', async () => token({ key: (await generateKeyPair('RS256')).privateKey })],
  ['from another issuer', () => token({ issuer: 'https://cognito-idp.ap-south-1.amazonaws.com/other' })],
  ['issued to another app client', () => token({ clientId: 'other-client' })],
  ['that is not a JWT', async () => 'not-a-token'],
])('refuses a token %s with 401, never treating it as anonymous', async (_what, make) => {
  expect(await get({ Authorization: await make() })).toMatchObject({
    status: 401,
    body: { detail: 'The access token is not valid: send a valid one, or none.' },
  });
});

it('says when the token has expired', async () => {
  const expired = await token({ exp: Math.floor(Date.now() / 1000) - 60 });
  expect(await get({ Authorization: expired })).toMatchObject({
    status: 401,
    body: { detail: 'The access token has expired: refresh it, or call without one.' },
  });
});

it('takes a caller the gateway verified as it is', async () => {
  expect(await get({}, { userId: 'u-9', roles: ['customer'] })).toMatchObject({
    body: { caller: { userId: 'u-9', roles: ['customer'] } },
  });
});
