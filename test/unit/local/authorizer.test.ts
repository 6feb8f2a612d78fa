import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { createHmac } from 'node:crypto';
import { callerFromEvent } from '../../../functions/shared/http/identity';
import {
  claimsForApiGateway,
  createCognitoAuthorizer,
  javaDate,
  tokenFrom,
  type Authorizer,
} from '../../../local/gateway/authorizer';
import { buildProxyEvent } from '../../../local/gateway/proxy-event';

const ISSUER = 'http://127.0.0.1:9229/local_pool1';
const CLIENT_ID = 'app-client-1';

let poolKey: CryptoKey;
let poolPublicKey: CryptoKey;
let otherKey: CryptoKey;
let authorize: Authorizer;

beforeAll(async () => {
  const pool = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  poolKey = pool.privateKey;
  poolPublicKey = pool.publicKey;
  otherKey = other.privateKey;
  const jwk: JWK = { ...(await exportJWK(pool.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' };
  authorize = createCognitoAuthorizer({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    keys: createLocalJWKSet({ keys: [jwk] }),
  });
});

interface TokenOptions {
  key?: CryptoKey;
  kid?: string;
  issuer?: string;
  expiresIn?: string | number;
  issuedAt?: number;
  claims?: Record<string, unknown>;
}

const now = () => Math.floor(Date.now() / 1000);

function accessToken(opts: TokenOptions = {}): Promise<string> {
  return new SignJWT({
    sub: 'user-sub-1',
    username: 'user-sub-1',
    client_id: CLIENT_ID,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: now(),
    'cognito:groups': ['customer', 'admin'],
    ...opts.claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'pool-key' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setIssuedAt(opts.issuedAt)
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(opts.key ?? poolKey);
}

describe('Cognito authorizer', () => {
  it('accepts a valid access token sent as Bearer and hands over string claims', async () => {
    const result = await authorize(`Bearer ${await accessToken()}`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims).toMatchObject({
      sub: 'user-sub-1',
      username: 'user-sub-1',
      token_use: 'access',
      client_id: CLIENT_ID,
      iss: ISSUER,
      'cognito:groups': 'customer,admin',
    });
    for (const value of Object.values(result.claims)) expect(typeof value).toBe('string');
  });

  it('accepts the raw token without a scheme, as API Gateway does', async () => {
    expect((await authorize(await accessToken())).ok).toBe(true);
  });

  it('refuses a missing or empty Authorization header with Unauthorized', async () => {
    expect(await authorize(undefined)).toMatchObject({ ok: false, message: 'Unauthorized' });
    expect(await authorize('')).toMatchObject({ ok: false, message: 'Unauthorized' });
    expect(await authorize('Bearer ')).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it('refuses a token signed with another key', async () => {
    const forged = await accessToken({ key: otherKey });
    expect(await authorize(`Bearer ${forged}`)).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it('refuses a token with an unknown key id', async () => {
    expect(await authorize(await accessToken({ kid: 'nope' }))).toMatchObject({
      ok: false,
      message: 'Unauthorized',
    });
  });

  it('refuses a token from another issuer', async () => {
    const token = await accessToken({ issuer: 'http://127.0.0.1:9229/other_pool' });
    expect(await authorize(token)).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it("answers an expired token with API Gateway's expiry message", async () => {
    const token = await accessToken({ expiresIn: now() - 60 });
    expect(await authorize(token)).toMatchObject({ ok: false, message: 'The incoming token has expired' });
  });

  it('refuses a token that never expires (no exp)', async () => {
    const token = await new SignJWT({
      sub: 'user-sub-1',
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key' })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .sign(poolKey);
    expect(await authorize(token)).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it('refuses a token that is not valid yet: nbf or iat in the future', async () => {
    const notBefore = await accessToken({ claims: { nbf: now() + 600 } });
    const issuedLater = await accessToken({ issuedAt: now() + 600, expiresIn: now() + 4200 });
    expect(await authorize(notBefore)).toMatchObject({ ok: false, message: 'Unauthorized' });
    expect(await authorize(issuedLater)).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it('refuses alg none and an HS256 token keyed with the public key', async () => {
    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = segment({
      sub: 'user-sub-1',
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      iss: ISSUER,
      iat: now(),
      exp: now() + 600,
    });
    const none = `${segment({ alg: 'none' })}.${payload}.`;
    const hsHeader = segment({ alg: 'HS256', kid: 'pool-key' });
    const publicPem = await exportSPKI(poolPublicKey);
    const hs = createHmac('sha256', publicPem).update(`${hsHeader}.${payload}`).digest('base64url');
    expect(await authorize(none)).toMatchObject({ ok: false, message: 'Unauthorized' });
    expect(await authorize(`${hsHeader}.${payload}.${hs}`)).toMatchObject({
      ok: false,
      message: 'Unauthorized',
    });
  });

  it('refuses an id token', async () => {
    const token = await accessToken({ claims: { token_use: 'id', client_id: undefined, aud: CLIENT_ID } });
    expect(await authorize(token)).toMatchObject({ ok: false, message: 'Unauthorized' });
  });

  it('refuses an access token of another app client', async () => {
    expect(await authorize(await accessToken({ claims: { client_id: 'someone-else' } }))).toMatchObject({
      ok: false,
    });
  });

  it('refuses an access token without the user admin scope', async () => {
    expect(await authorize(await accessToken({ claims: { scope: 'openid email' } }))).toMatchObject({
      ok: false,
    });
  });

  it('refuses garbage and other schemes', async () => {
    expect(await authorize('Bearer not.a.jwt')).toMatchObject({ ok: false });
    expect(await authorize('Basic dXNlcjpwYXNz')).toMatchObject({ ok: false });
    expect(await authorize('Bearer')).toMatchObject({ ok: false });
    expect(await authorize(`Bearer ${await accessToken()} extra`)).toMatchObject({ ok: false });
  });
});

describe('claims as API Gateway renders them', () => {
  it('turns exp and iat into Java dates, keeps auth_time numeric, joins lists', () => {
    const claims = claimsForApiGateway({
      sub: 's',
      exp: 1_764_250_560,
      iat: 1_764_246_960,
      auth_time: 1_764_246_960,
      'cognito:groups': ['admin', 'merchant'],
      email_verified: true,
      nested: { a: 1 },
    });
    expect(claims).toEqual({
      sub: 's',
      exp: 'Thu Nov 27 13:36:00 UTC 2025',
      iat: 'Thu Nov 27 12:36:00 UTC 2025',
      auth_time: '1764246960',
      'cognito:groups': 'admin,merchant',
      email_verified: 'true',
      nested: '{"a":1}',
    });
  });

  it('formats single-digit days and hours with two digits', () => {
    expect(javaDate(Date.UTC(2025, 0, 5, 3, 4, 5) / 1000)).toBe('Sun Jan 05 03:04:05 UTC 2025');
  });

  it('gives the handler runtime the caller and its roles', async () => {
    const result = await authorize(await accessToken());
    if (!result.ok) throw new Error('expected a valid token');
    const event = buildProxyEvent({
      method: 'GET',
      resource: '/v1/me',
      path: '/v1/me',
      claims: result.claims,
    });
    expect(callerFromEvent(event)).toEqual({
      userId: 'user-sub-1',
      username: 'user-sub-1',
      roles: ['customer', 'admin'],
    });
  });

  it('reads the token from raw and Bearer header values', () => {
    expect(tokenFrom('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFrom('bearer   abc')).toBe('abc');
    expect(tokenFrom('abc.def.ghi')).toBe('abc.def.ghi');
    expect(tokenFrom('Basic a b')).toBeUndefined();
    expect(tokenFrom(undefined)).toBeUndefined();
  });
});
