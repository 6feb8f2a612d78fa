/**
 * The local engines and provisioning behave like the AWS services the handlers rely on: tables with their
 * GSIs, a user pool with the role groups, verifiable tokens carrying groups, GlobalSignOut revoking refresh
 * tokens, pre-signed uploads to the image bucket, and Redis when installed.
 */
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketCorsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { app } from '../../lib/app/app';
import { bucketEnvName, tableEnvName } from '../../lib/app/env';
import { redisAvailable } from '../../local/engines/redis';
import { testClients, testResources } from '../support/engines';

const resources = testResources();
const clients = testClients(resources);
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

describe('provisioned resources', () => {
  it.each(app.tables.map((t) => [t.name, t] as const))(
    'table %s exists with its keys and GSIs',
    async (name, def) => {
      const { Table } = await clients.dynamodb.send(
        new DescribeTableCommand({ TableName: resources.tableNames[name] }),
      );
      expect(Table?.TableStatus).toBe('ACTIVE');
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      expect(Table?.KeySchema?.[0]).toEqual({ AttributeName: def.partitionKey.name, KeyType: 'HASH' });
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        keys: i.KeySchema?.map((k) => k.AttributeName),
        projection: i.Projection?.ProjectionType,
      }));
      expect(indexes).toEqual(
        expect.arrayContaining(
          (def.indexes ?? []).map((i) => ({
            name: i.name,
            keys: [i.partitionKey.name, ...(i.sortKey ? [i.sortKey.name] : [])],
            projection: 'ALL',
          })),
        ),
      );
      expect(indexes).toHaveLength(def.indexes?.length ?? 0);
    },
  );

  it('exports every table, bucket and the user pool to the environment', () => {
    for (const t of app.tables) expect(process.env[tableEnvName(t.name)]).toBe(resources.tableNames[t.name]);
    for (const b of app.buckets)
      expect(process.env[bucketEnvName(b.name)]).toBe(resources.bucketNames[b.name]);
    expect(process.env.USER_POOL_ID).toBe(resources.userPool.id);
    expect(process.env.USER_POOL_CLIENT_ID).toBe(resources.userPool.clientId);
    expect(process.env.AUTO_CONFIRM_SIGN_UP).toBe('true');
    expect(process.env.STAGE).toBe('local');
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe(resources.endpoints.dynamodb);
    expect(resources.issuer).toBe(`${resources.endpoints.cognito}/${resources.userPool.id}`);
    expect(resources.endpoints.cognito).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('creates every role group', async () => {
    const { Groups } = await clients.cognito.send(
      new ListGroupsCommand({ UserPoolId: resources.userPool.id }),
    );
    expect(Groups?.map((g) => g.GroupName).sort()).toEqual(app.userPool.groups.map((g) => g.name).sort());
  });
});

describe('cognito-local', () => {
  const email = `engines-${Date.now()}@example.com`;
  const password = 'Correct-Horse-42!';
  const jwks = createRemoteJWKSet(new URL(resources.jwksUrl));

  const login = async () => {
    const { AuthenticationResult } = await clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: resources.userPool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return AuthenticationResult!;
  };
  const refresh = (refreshToken: string) =>
    clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: resources.userPool.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );

  beforeAll(async () => {
    const signUp = await clients.cognito.send(
      new SignUpCommand({
        ClientId: resources.userPool.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(signUp.UserConfirmed).toBe(false);
    await clients.cognito.send(
      new AdminConfirmSignUpCommand({ UserPoolId: resources.userPool.id, Username: email }),
    );
  });

  it('issues access tokens that verify against the JWKS and issuer, valid for 60 minutes', async () => {
    const { AccessToken } = await login();
    const { payload, protectedHeader } = await jwtVerify(AccessToken!, jwks, { issuer: resources.issuer });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ token_use: 'access', client_id: resources.userPool.clientId });
    expect(String(payload.scope)).toContain('aws.cognito.signin.user.admin');
    expect(payload.exp! - payload.iat!).toBe(60 * 60);
    // With email as the username attribute, the username is the sub (a UUID), as in AWS.
    expect(payload.username).toBe(payload.sub);
    expect(payload['cognito:groups']).toBeUndefined();
  });

  it('puts the user groups in the access token (cognito:groups)', async () => {
    await clients.cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: resources.userPool.id,
        Username: email,
        GroupName: 'customer',
      }),
    );
    const { AccessToken } = await login();
    const { payload } = await jwtVerify(AccessToken!, jwks, { issuer: resources.issuer });
    expect(payload['cognito:groups']).toEqual(['customer']);
  });

  it('revokes refresh tokens on GlobalSignOut', async () => {
    const { AccessToken, RefreshToken } = await login();
    const refreshed = await refresh(RefreshToken!);
    expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();

    await clients.cognito.send(new GlobalSignOutCommand({ AccessToken }));
    await expect(refresh(RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(
      clients.cognito.send(new GlobalSignOutCommand({ AccessToken: 'not-a-jwt' })),
    ).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    // A new login still works after signing out everywhere.
    expect((await login()).RefreshToken).toBeDefined();
  });

  it('reports a wrong password as InvalidPasswordException (AWS says NotAuthorizedException)', async () => {
    const wrong = clients.cognito.send(
      new InitiateAuthCommand({
        ClientId: resources.userPool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: 'Wrong-password-1!' },
      }),
    );
    await expect(wrong).rejects.toMatchObject({ name: 'InvalidPasswordException' });
  });
});

describe('s3rver', () => {
  const bucket = resources.bucketNames.ProductImages!;

  it('allows browser uploads with a pre-signed PUT URL', async () => {
    const cors = await clients.s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(cors.CORSRules?.[0]?.AllowedMethods).toContain('PUT');

    const key = `products/${Date.now()}/image.png`;
    const url = await getSignedUrl(clients.s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 300,
    });
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const put = await fetch(url, {
      method: 'PUT',
      body: 'png-bytes',
      headers: { 'content-type': 'image/png' },
    });
    expect(put.status).toBe(200);

    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await object.Body?.transformToString()).toBe('png-bytes');
    expect(object.ContentType).toBe('image/png');
  });

  it('serves a client configured only from the environment, as a handler is (streamed body intact)', async () => {
    const s3 = new S3Client({});
    try {
      const key = `imports/${Date.now()}.csv`;
      const body = 'sku,qty\nA1,5\n';
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: Readable.from([Buffer.from(body)]),
          ContentLength: body.length,
        }),
      );
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(await object.Body?.transformToString()).toBe(body);
    } finally {
      s3.destroy();
    }
  });
});

describe('redis-server', () => {
  // Redis is optional locally (.ci/run installs it): with it the engine must answer; without it the platform
  // must run with no Redis endpoint rather than fail.
  it('is started exactly when redis-server is installed, and then answers PING', async () => {
    const redis = resources.endpoints.redis;
    expect(redis !== undefined).toBe(await redisAvailable());
    if (redis === undefined) return;
    const { port } = new URL(redis);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (d) => (socket.end(), resolve(d.toString())));
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
  });
});
