/**
 * Passwords, tokens and personal data never reach the logs: the identity flows run at DEBUG level with
 * everything the process writes captured, including a failed login, a validation failure and an
 * unexpected error from Cognito.
 */
import { randomUUID } from 'node:crypto';
import { invoke } from '../support/lambda';

jest.setTimeout(30_000);

const written: string[] = [];
const capture = (stream: NodeJS.WriteStream) =>
  jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });

// The log level is read when the handler modules load.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
/* eslint-disable @typescript-eslint/no-require-imports */
const { handler: register } = require('../../functions/identity/handlers/register');
const { handler: login } = require('../../functions/identity/handlers/login');
const { handler: refresh } = require('../../functions/identity/handlers/refresh');
const { handler: getMe } = require('../../functions/identity/handlers/get-me');
const { handler: updateMe } = require('../../functions/identity/handlers/update-me');
const { handler: logout } = require('../../functions/identity/handlers/logout');
/* eslint-enable @typescript-eslint/no-require-imports */

const email = `private-${randomUUID().slice(0, 8)}@example.com`;
const password = `Secret-${randomUUID().slice(0, 12)}!9`;
const name = `Priya ${randomUUID().slice(0, 6)}`;
const phone = `+9198${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const newPhone = `+9197${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const json = { 'Content-Type': 'application/json' };

it('keeps passwords, tokens, emails, names and phone numbers out of every log line', async () => {
  const spies = [capture(process.stdout), capture(process.stderr)];
  const secrets: string[] = [email, password, name, phone, newPhone];
  try {
    const registered = await invoke(register, {
      method: 'POST',
      path: '/v1/auth/register',
      body: { email, password, name, phone },
    });
    expect(registered.status).toBe(201);
    const wrong = await invoke(login, {
      method: 'POST',
      path: '/v1/auth/login',
      body: { email, password: `${password}x` },
    });
    expect(wrong.status).toBe(401);
    const invalid = await invoke(register, {
      method: 'POST',
      path: '/v1/auth/register',
      body: { email, password },
    });
    expect(invalid.status).toBe(400);

    const session = await invoke(login, {
      method: 'POST',
      path: '/v1/auth/login',
      body: { email, password },
    });
    expect(session.status).toBe(200);
    const { accessToken, refreshToken, idToken } = session.body as Record<string, string>;
    secrets.push(accessToken!, refreshToken!, idToken!);
    const caller = { userId: registered.body.userId as string, roles: ['customer' as const] };
    const auth = { authorization: `Bearer ${accessToken}`, ...json };

    expect((await invoke(getMe, { path: '/v1/me', as: caller, headers: auth })).status).toBe(200);
    expect(
      (
        await invoke(updateMe, {
          method: 'PATCH',
          path: '/v1/me',
          as: caller,
          headers: auth,
          body: { phone: newPhone },
        })
      ).status,
    ).toBe(200);
    expect(
      (await invoke(refresh, { method: 'POST', path: '/v1/auth/refresh', body: { refreshToken } })).status,
    ).toBe(200);
    expect(
      (await invoke(logout, { method: 'POST', path: '/v1/auth/logout', as: caller, headers: auth })).status,
    ).toBe(204);
    // A forged token makes Cognito fail in its own way; the token must not be echoed into the log.
    const forged = `${accessToken!.slice(0, -8)}AAAAAAAA`;
    secrets.push(forged);
    const refused = await invoke(logout, {
      method: 'POST',
      path: '/v1/auth/logout',
      as: caller,
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
  } finally {
    spies.forEach((s) => s.mockRestore());
  }

  const log = written.join('');
  expect(log).toContain('"level":"'); // the handlers did log (at DEBUG), so the check below means something
  for (const secret of secrets) expect(log).not.toContain(secret);
  // Tokens are JWTs: no fragment of one may appear either.
  expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
});
