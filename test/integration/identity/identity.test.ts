/**
 * Identity handlers against the real local engines (DynamoDB Local and cognito-local, started by the Jest
 * global setup with AUTO_CONFIRM_SIGN_UP=true). Every test registers its own users with unique emails.
 */
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { handler as confirm } from '../../../functions/identity/handlers/confirm';
import { handler as forgotPassword } from '../../../functions/identity/handlers/forgot-password';
import { handler as getMe } from '../../../functions/identity/handlers/get-me';
import { handler as login } from '../../../functions/identity/handlers/login';
import { handler as logout } from '../../../functions/identity/handlers/logout';
import { handler as refresh } from '../../../functions/identity/handlers/refresh';
import { handler as register } from '../../../functions/identity/handlers/register';
import { handler as resendConfirmation } from '../../../functions/identity/handlers/resend-confirmation';
import { handler as resetPassword } from '../../../functions/identity/handlers/reset-password';
import { handler as setUserRoles } from '../../../functions/identity/handlers/set-user-roles';
import { handler as updateMe } from '../../../functions/identity/handlers/update-me';
import type { Role } from '../../../functions/shared/http/route';
import { DEMO_ACCOUNTS, seedAccounts } from '../../../local/seed/accounts';
import { testClients, testResources } from '../../support/engines';
import { invoke } from '../../support/lambda';

jest.setTimeout(30_000);

const resources = testResources();
const clients = testClients(resources);
const documents = DynamoDBDocumentClient.from(clients.dynamodb);
const usersTable = resources.tableNames.Users!;
const poolId = resources.userPool.id;
const jwks = createRemoteJWKSet(new URL(resources.jwksUrl));
afterAll(() => Object.values(clients).forEach((c) => c.destroy()));

const PASSWORD = 'Correct-Horse-9!';
const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

const post = (
  path: string,
  body: unknown,
  extra: { headers?: Record<string, string>; as?: Caller } = {},
) => ({
  method: 'POST',
  path,
  body,
  ...extra,
});

interface Caller {
  userId: string;
  username: string;
  roles: Role[];
}

async function verifyAccess(token: string): Promise<JWTPayload> {
  return (await jwtVerify(token, jwks, { issuer: resources.issuer })).payload;
}

/** Registers and signs in a fresh customer; returns what a client and the gateway would know. */
async function newCustomer(label = 'customer') {
  const email = uniqueEmail(label);
  const registered = await invoke(
    register,
    post('/v1/auth/register', { email, password: PASSWORD, name: 'Asha Rao' }),
  );
  expect(registered.status).toBe(201);
  const signedIn = await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }));
  expect(signedIn.status).toBe(200);
  const claims = await verifyAccess(signedIn.body.accessToken);
  const caller: Caller = {
    userId: String(claims.sub),
    username: String(claims.username),
    roles: claims['cognito:groups'] as Role[],
  };
  return { email, userId: registered.body.userId as string, tokens: signedIn.body, caller };
}

const profileItem = async (userId: string) =>
  (await documents.send(new GetCommand({ TableName: usersTable, Key: { userId }, ConsistentRead: true })))
    .Item;

const cognitoUser = (username: string) =>
  clients.cognito
    .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))
    .catch((e: Error) => e.name);

describe('registration', () => {
  it('creates a confirmed customer with a profile, ready to log in', async () => {
    const email = uniqueEmail('Reg');

    const res = await invoke(
      register,
      post('/v1/auth/register', {
        email: `  ${email.toUpperCase()} `,
        password: PASSWORD,
        name: ' Asha ',
        phone: '+919876543210',
      }),
    );

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      userId: expect.any(String),
      email: email.toLowerCase(),
      confirmed: true,
      nextStep: 'LOGIN',
    });
    expect(await profileItem(res.body.userId)).toEqual({
      userId: res.body.userId,
      username: res.body.userId,
      email: email.toLowerCase(),
      name: 'Asha',
      phone: '+919876543210',
      // Written at registration (none given: en), read by the notifications dispatcher.
      locale: 'en',
      roles: ['customer'],
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    const groups = await clients.cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: res.body.userId }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['customer']);
  });

  it('answers 409 for an email that is already registered, whatever its case', async () => {
    const { email } = await newCustomer('dup');

    const res = await invoke(
      register,
      post('/v1/auth/register', { email: email.toUpperCase(), password: PASSWORD, name: 'Again' }),
    );

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.type).toBe('/problems/email-taken');
  });

  it('lets exactly one of several concurrent registrations of one email (in any case) win, with one profile', async () => {
    const email = uniqueEmail('race');
    const spellings = [email, email.toUpperCase(), ` ${email} `, email.replace(/^r/, 'R')];

    const results = await Promise.all(
      [...spellings, ...spellings].map((spelling, i) =>
        invoke(register, post('/v1/auth/register', { email: spelling, password: PASSWORD, name: `R${i}` })),
      ),
    );

    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!.body.userId as string;
    const users = await clients.cognito.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }),
    );
    expect(users.Users?.map((u) => u.Username)).toEqual([winner]);
    const profiles = await documents.send(
      new ScanCommand({
        TableName: usersTable,
        FilterExpression: 'email = :email',
        ExpressionAttributeValues: { ':email': email },
      }),
    );
    expect(profiles.Items?.map((p) => p.userId)).toEqual([winner]);
    const signedIn = await invoke(
      login,
      post('/v1/auth/login', { email: email.toUpperCase(), password: PASSWORD }),
    );
    expect(signedIn.status).toBe(200);
  });

  it.each([
    ['an unknown field', { roles: ['admin'] }, 'roles'],
    ['a phone that is not E.164', { phone: '98765 43210' }, 'phone'],
    ['a short password', { password: 'Short-1!' }, 'password'],
    ['an invalid email', { email: 'not-an-email' }, 'email'],
  ])('answers 400 for %s and creates nothing', async (_case, change, field) => {
    const email = uniqueEmail('bad');

    const res = await invoke(
      register,
      post('/v1/auth/register', { email, password: PASSWORD, name: 'Bad', ...change }),
    );

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field })]);
    expect(await cognitoUser(email)).toBe('UserNotFoundException');
  });
});

describe('confirmation', () => {
  it('answers the same 400 for a wrong code and for an unknown email', async () => {
    const email = uniqueEmail('unconfirmed');
    await clients.cognito.send(
      new SignUpCommand({ ClientId: resources.userPool.clientId, Username: email, Password: PASSWORD }),
    );

    const wrongCode = await invoke(confirm, post('/v1/auth/confirm', { email, code: '000000' }));
    const unknown = await invoke(
      confirm,
      post('/v1/auth/confirm', { email: uniqueEmail('nobody'), code: '000000' }),
    );

    expect(wrongCode.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toBe(wrongCode.body.detail);
  });
});

/**
 * The codes cognito-local "emails". It only logs them and keeps the latest in the user record of its data
 * files (a temp folder the test does not know), so local/engines/cognito-launcher.cjs records every
 * delivered code in a local mailbox served at GET /_local/messages?destination=<email>: the test reads the
 * code from there, the way a user reads it from their inbox.
 */
interface MailboxMessage {
  source: string;
  destination: string;
  code: string;
}
async function mailbox(email: string): Promise<MailboxMessage[]> {
  const url = `${resources.endpoints.cognito}/_local/messages?destination=${encodeURIComponent(email)}`;
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}
async function lastCode(email: string, source: string): Promise<string> {
  const code = (await mailbox(email)).filter((m) => m.source === source).at(-1)?.code;
  if (!code) throw new Error(`No ${source} code was sent to ${email}`);
  return code;
}

/** A user who signed up but never confirmed (registration would auto-confirm on this stage). */
async function unconfirmedUser(label: string) {
  const email = uniqueEmail(label);
  await clients.cognito.send(
    new SignUpCommand({
      ClientId: resources.userPool.clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  return email;
}

const usersWithEmail = async (email: string) =>
  (await clients.cognito.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` })))
    .Users ?? [];

describe('account recovery', () => {
  const NEW_PASSWORD = 'Battery-Staple-7!';

  it('resets a forgotten password: the old one stops working, the new one signs in', async () => {
    const { email } = await newCustomer('forgot');

    const forgot = await invoke(forgotPassword, post('/v1/auth/password/forgot', { email }));
    expect(forgot.status).toBe(202);
    const code = await lastCode(email, 'ForgotPassword');
    const reset = await invoke(
      resetPassword,
      post('/v1/auth/password/reset', { email, code, newPassword: NEW_PASSWORD }),
    );

    expect(reset.status).toBe(204);
    const old = await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }));
    expect(old.status).toBe(401);
    const renewed = await invoke(login, post('/v1/auth/login', { email, password: NEW_PASSWORD }));
    expect(renewed.status).toBe(200);
  });

  it('refuses a wrong code with a 400 on code and keeps the password', async () => {
    const { email } = await newCustomer('wrongcode');
    await invoke(forgotPassword, post('/v1/auth/password/forgot', { email }));
    const code = await lastCode(email, 'ForgotPassword');
    const wrong = code === '000000' ? '111111' : '000000';

    const res = await invoke(
      resetPassword,
      post('/v1/auth/password/reset', { email, code: wrong, newPassword: NEW_PASSWORD }),
    );

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'code' })]);
    expect((await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }))).status).toBe(200);
    expect((await invoke(login, post('/v1/auth/login', { email, password: NEW_PASSWORD }))).status).toBe(401);
  });

  it('answers a reset for an unknown email exactly like a wrong code', async () => {
    const { email } = await newCustomer('resetknown');
    await invoke(forgotPassword, post('/v1/auth/password/forgot', { email }));
    const wrong = await invoke(
      resetPassword,
      post('/v1/auth/password/reset', { email, code: 'abc123', newPassword: NEW_PASSWORD }),
    );

    const unknown = await invoke(
      resetPassword,
      post('/v1/auth/password/reset', {
        email: uniqueEmail('resetghost'),
        code: 'abc123',
        newPassword: NEW_PASSWORD,
      }),
    );

    expect(unknown.status).toBe(400);
    expect({ ...unknown.body, instance: undefined }).toEqual({ ...wrong.body, instance: undefined });
  });

  it('refuses a weak new password with a 400 on newPassword, like registration', async () => {
    const { email } = await newCustomer('weakreset');
    await invoke(forgotPassword, post('/v1/auth/password/forgot', { email }));
    const code = await lastCode(email, 'ForgotPassword');

    const res = await invoke(
      resetPassword,
      post('/v1/auth/password/reset', { email, code, newPassword: 'short' }),
    );

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'body', field: 'newPassword' })]);
    expect((await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }))).status).toBe(200);
  });

  it('answers 202 for an unknown email, creating and sending nothing', async () => {
    const email = uniqueEmail('nobody');

    const forgot = await invoke(forgotPassword, post('/v1/auth/password/forgot', { email }));
    const resend = await invoke(resendConfirmation, post('/v1/auth/confirm/resend', { email }));

    expect(forgot.status).toBe(202);
    expect(resend.status).toBe(202);
    expect(forgot.body).toEqual(resend.body);
    expect(await usersWithEmail(email)).toEqual([]);
    expect(await mailbox(email)).toEqual([]);
  });

  it('sends an unconfirmed account a new code that confirms it', async () => {
    const email = await unconfirmedUser('resend');
    const firstCode = await lastCode(email, 'SignUp');

    const res = await invoke(resendConfirmation, post('/v1/auth/confirm/resend', { email }));

    expect(res.status).toBe(202);
    expect(await mailbox(email)).toEqual([
      expect.objectContaining({ source: 'SignUp', code: firstCode }),
      expect.objectContaining({ source: 'ResendCode', code: expect.stringMatching(/^\d{6}$/) }),
    ]);
    const newCode = await lastCode(email, 'ResendCode');
    const confirmed = await invoke(confirm, post('/v1/auth/confirm', { email, code: newCode }));
    expect(confirmed.status).toBe(204);
    expect((await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }))).status).toBe(200);
  });

  it('answers 202 for an account that is already confirmed, sending nothing', async () => {
    const { email } = await newCustomer('resendconfirmed');

    const res = await invoke(resendConfirmation, post('/v1/auth/confirm/resend', { email }));

    expect(res.status).toBe(202);
    expect((await mailbox(email)).filter((m) => m.source === 'ResendCode')).toEqual([]);
  });
});

describe('login', () => {
  it('returns tokens that verify against the pool JWKS and carry the customer group', async () => {
    const { tokens, userId } = await newCustomer('login');

    const claims = await verifyAccess(tokens.accessToken);

    expect(tokens).toMatchObject({ tokenType: 'Bearer', refreshToken: expect.any(String) });
    expect(tokens.expiresIn).toBeGreaterThan(3500);
    expect(tokens.expiresIn).toBeLessThanOrEqual(3600);
    expect(claims).toMatchObject({ sub: userId, token_use: 'access', 'cognito:groups': ['customer'] });
    const id = await jwtVerify(tokens.idToken, jwks, {
      issuer: resources.issuer,
      audience: resources.userPool.clientId,
    });
    expect(id.payload).toMatchObject({ sub: userId, token_use: 'id' });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const { email } = await newCustomer('wrongpw');

    const wrong = await invoke(login, post('/v1/auth/login', { email, password: 'Wrong-Horse-99' }));
    const unknown = await invoke(
      login,
      post('/v1/auth/login', { email: uniqueEmail('ghost'), password: PASSWORD }),
    );

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toMatchObject({ type: '/problems/invalid-credentials', detail: unknown.body.detail });
  });

  it('answers 403 for an account that is not confirmed yet', async () => {
    const email = uniqueEmail('pending');
    await clients.cognito.send(
      new SignUpCommand({ ClientId: resources.userPool.clientId, Username: email, Password: PASSWORD }),
    );

    const res = await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }));

    expect(res.status).toBe(403);
    expect(res.body.type).toBe('/problems/user-not-confirmed');
  });

  it('finishes a registration that stopped after the Cognito sign-up', async () => {
    const email = uniqueEmail('halfway');
    const { UserSub } = await clients.cognito.send(
      new SignUpCommand({
        ClientId: resources.userPool.clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'name', Value: 'Half Way' }],
      }),
    );
    await clients.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: UserSub! }));

    const res = await invoke(login, post('/v1/auth/login', { email, password: PASSWORD }));

    expect(res.status).toBe(200);
    expect((await verifyAccess(res.body.accessToken))['cognito:groups']).toEqual(['customer']);
    expect(await profileItem(UserSub!)).toMatchObject({ email, name: 'Half Way', roles: ['customer'] });
  });
});

describe('my profile', () => {
  it('is returned to its owner', async () => {
    const { caller, email, userId } = await newCustomer('me');

    const res = await invoke(getMe, { method: 'GET', path: '/v1/me', as: caller });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId,
      email,
      name: 'Asha Rao',
      phone: null,
      locale: 'en',
      roles: ['customer'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('is rebuilt from Cognito when the profile item is missing', async () => {
    const email = uniqueEmail('noprofile');
    const { UserSub } = await clients.cognito.send(
      new SignUpCommand({
        ClientId: resources.userPool.clientId,
        Username: email,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'name', Value: 'No Profile' }],
      }),
    );
    await clients.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: UserSub!, GroupName: 'customer' }),
    );

    const res = await invoke(getMe, {
      method: 'GET',
      path: '/v1/me',
      as: { userId: UserSub!, username: UserSub!, roles: ['customer'] },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: UserSub, email, name: 'No Profile', roles: ['customer'] });
    expect(await profileItem(UserSub!)).toBeDefined();
  });

  it('takes a new name and phone, and a null phone removes it', async () => {
    const { caller, userId } = await newCustomer('patch');

    const first = await invoke(updateMe, {
      method: 'PATCH',
      path: '/v1/me',
      as: caller,
      body: { name: 'Asha R', phone: '+919811111111' },
    });
    const second = await invoke(updateMe, {
      method: 'PATCH',
      path: '/v1/me',
      as: caller,
      body: { phone: null },
    });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ name: 'Asha R', phone: '+919811111111' });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ name: 'Asha R', phone: null });
    expect((await profileItem(userId))?.phone).toBeUndefined();
  });

  it.each([
    ['no field', {}],
    ['a field that is not editable', { email: 'new@example.com' }],
    ['an invalid phone', { phone: '12345' }],
  ])('answers 400 to a change with %s and leaves the profile alone', async (_case, body) => {
    const { caller, userId } = await newCustomer('badpatch');
    const before = await profileItem(userId);

    const res = await invoke(updateMe, { method: 'PATCH', path: '/v1/me', as: caller, body });

    expect(res.status).toBe(400);
    expect(await profileItem(userId)).toEqual(before);
  });

  it('needs a token', async () => {
    const res = await invoke(getMe, { method: 'GET', path: '/v1/me' });

    expect(res.status).toBe(401);
  });
});

describe('refresh and logout', () => {
  it('refreshes into new tokens that verify', async () => {
    const { tokens, userId } = await newCustomer('refresh');

    const res = await invoke(refresh, post('/v1/auth/refresh', { refreshToken: tokens.refreshToken }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect((await verifyAccess(res.body.accessToken)).sub).toBe(userId);
  });

  it('answers 401 to an access or id token sent as the refresh token', async () => {
    const { tokens } = await newCustomer('wrong-token');

    for (const token of [tokens.accessToken, tokens.idToken]) {
      const res = await invoke(refresh, post('/v1/auth/refresh', { refreshToken: token }));
      expect(res.status).toBe(401);
      expect(res.body.type).toBe('/problems/invalid-token');
    }
  });

  it('answers 401 for a refresh token that was never issued', async () => {
    const res = await invoke(refresh, post('/v1/auth/refresh', { refreshToken: 'not.a.token' }));

    expect(res.status).toBe(401);
  });

  it('logs out everywhere: the refresh token stops working', async () => {
    const { tokens, caller } = await newCustomer('logout');

    const out = await invoke(
      logout,
      post('/v1/auth/logout', undefined, {
        as: caller,
        headers: { Authorization: `Bearer ${tokens.accessToken}` },
      }),
    );
    const after = await invoke(refresh, post('/v1/auth/refresh', { refreshToken: tokens.refreshToken }));

    expect(out.status).toBe(204);
    expect(after.status).toBe(401);
  });

  it('answers a second logout with the same token without a 5xx', async () => {
    const { tokens, caller } = await newCustomer('logout-twice');
    const out = () =>
      invoke(
        logout,
        post('/v1/auth/logout', undefined, {
          as: caller,
          headers: { Authorization: `Bearer ${tokens.accessToken}` },
        }),
      );

    expect((await out()).status).toBe(204);
    // AWS revokes the access token with the refresh tokens (401); cognito-local does not (204).
    expect([204, 401]).toContain((await out()).status);
  });

  it('answers 400 to a logout without the access token header', async () => {
    const { caller } = await newCustomer('logout-noheader');

    const res = await invoke(logout, post('/v1/auth/logout', undefined, { as: caller }));

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ in: 'header', field: 'authorization' })]);
  });
});

describe('role administration', () => {
  let admin: Caller;

  beforeAll(async () => {
    const [account] = await seedAccounts(
      {
        cognito: clients.cognito,
        userPoolId: poolId,
        clientId: resources.userPool.clientId,
        usersTable,
        documentClient: documents,
        password: PASSWORD,
      },
      [{ email: uniqueEmail('admin'), name: 'Test Admin', roles: ['admin'] }],
    );
    admin = { userId: account!.userId, username: account!.userId, roles: ['admin'] };
  });

  const putRoles = (userId: string, roles: unknown, as: Caller) =>
    invoke(setUserRoles, {
      method: 'PUT',
      path: `/v1/admin/users/${userId}/roles`,
      resource: '/v1/admin/users/{userId}/roles',
      pathParameters: { userId },
      body: { roles },
      as,
    });

  it("changes a user's roles, which show in their next login's token", async () => {
    const target = await newCustomer('promote');

    const res = await putRoles(target.userId, ['merchant', 'customer'], admin);
    const next = await invoke(login, post('/v1/auth/login', { email: target.email, password: PASSWORD }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: target.userId, roles: ['customer', 'merchant'] });
    expect((await verifyAccess(next.body.accessToken))['cognito:groups']).toEqual(['customer', 'merchant']);
    expect((await profileItem(target.userId))?.roles).toEqual(['customer', 'merchant']);
  });

  it('removes roles that are no longer listed', async () => {
    const target = await newCustomer('demote');
    await putRoles(target.userId, ['merchant', 'customer'], admin);

    const res = await putRoles(target.userId, ['delivery_partner'], admin);
    const refreshed = await invoke(
      refresh,
      post('/v1/auth/refresh', { refreshToken: target.tokens.refreshToken }),
    );

    expect(res.body.roles).toEqual(['delivery_partner']);
    expect((await verifyAccess(refreshed.body.accessToken))['cognito:groups']).toEqual(['delivery_partner']);
  });

  it('refuses to let an admin remove admin from themselves', async () => {
    const res = await putRoles(admin.userId, ['customer'], admin);

    expect(res.status).toBe(409);
    expect((await profileItem(admin.userId))?.roles).toEqual(['admin']);
  });

  it("does not let a demoted admin use their old token to restore their role or change anyone else's", async () => {
    const other = await newCustomer('other-admin');
    await putRoles(other.userId, ['admin', 'customer'], admin);
    const signedIn = await invoke(login, post('/v1/auth/login', { email: other.email, password: PASSWORD }));
    const claims = await verifyAccess(signedIn.body.accessToken);
    const otherAsAdmin: Caller = {
      userId: other.userId,
      username: String(claims.username),
      roles: claims['cognito:groups'] as Role[],
    };
    expect(otherAsAdmin.roles).toContain('admin');
    expect((await putRoles(other.userId, ['customer'], admin)).status).toBe(200);

    const restore = await putRoles(other.userId, ['admin', 'customer'], otherAsAdmin);
    const revenge = await putRoles(admin.userId, ['admin', 'customer'], otherAsAdmin);

    expect(restore.status).toBe(403);
    expect(revenge.status).toBe(403);
    expect((await profileItem(other.userId))?.roles).toEqual(['customer']);
    expect((await profileItem(admin.userId))?.roles).toEqual(['admin']);
  });

  it('answers 404 for an unknown user id and 400 for one that is not a UUID', async () => {
    const unknown = await putRoles(randomUUID(), ['merchant'], admin);
    const malformed = await putRoles('admin@demo.zepto.local', ['merchant'], admin);

    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });

  it.each([
    ['an empty list', []],
    ['a repeated role', ['merchant', 'merchant']],
    ['an unknown role', ['superuser']],
  ])('answers 400 to %s and leaves the roles alone', async (_case, roles) => {
    const target = await newCustomer('badroles');

    const res = await putRoles(target.userId, roles, admin);

    expect(res.status).toBe(400);
    expect((await profileItem(target.userId))?.roles).toEqual(['customer']);
  });

  it('is forbidden to a customer', async () => {
    const { caller, userId } = await newCustomer('sneaky');

    const res = await putRoles(userId, ['admin'], caller);

    expect(res.status).toBe(403);
    expect((await profileItem(userId))?.roles).toEqual(['customer']);
  });
});

describe('demo account seeding', () => {
  const deps = () => ({
    cognito: clients.cognito,
    userPoolId: poolId,
    clientId: resources.userPool.clientId,
    usersTable,
    documentClient: documents,
    password: 'Zepto-Demo-2026!',
  });

  it('can run twice, and every demo account then logs in with its roles', async () => {
    const first = await seedAccounts(deps());
    const second = await seedAccounts(deps());

    expect(second.map((a) => a.userId)).toEqual(first.map((a) => a.userId));
    for (const account of DEMO_ACCOUNTS) {
      const res = await invoke(
        login,
        post('/v1/auth/login', { email: account.email, password: 'Zepto-Demo-2026!' }),
      );
      expect(res.status).toBe(200);
      const groups = (await verifyAccess(res.body.accessToken))['cognito:groups'] as string[];
      expect([...groups].sort()).toEqual([...account.roles].sort());
    }
  });
});
