import {
  InvalidCredentialsError,
  InvalidTokenError,
  PasswordResetRequiredError,
  SignInChallengeError,
  UserNotConfirmedError,
} from '../../../functions/identity/domain/errors';
import { decodeJwtPayload } from '../../../functions/identity/domain/tokens';
import { IdentityProviderError } from '../../../functions/identity/ports';
import { login, logout, refreshSession } from '../../../functions/identity/use-cases/sessions';
import { UnauthorizedError } from '../../../functions/shared/errors';
import { clock, FakeIdentityProvider, FakeProfiles } from './fakes';

const email = 'ravi@example.com';
const password = 'Correct-Horse-9';

function setup() {
  const idp = new FakeIdentityProvider();
  const profiles = new FakeProfiles();
  const user = idp.addUser({ email, password });
  user.groups.add('customer');
  return { idp, profiles, user, deps: { idp, profiles, now: clock } };
}

describe('login', () => {
  it('returns bearer tokens with the seconds left on the access token', async () => {
    const { deps } = setup();

    const tokens = await login(deps, { email, password });

    expect(tokens).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
  });

  it('does not touch the profile of a user who has a role', async () => {
    const { deps, idp } = setup();

    await login(deps, { email, password });

    expect(idp.methodsCalled()).toEqual(['passwordSignIn']);
  });

  it.each([
    ['an unknown email', 'nobody@example.com', password, 'NotAuthorizedException'],
    ['a wrong password (AWS)', email, 'Wrong-Horse-99', 'NotAuthorizedException'],
    ['a wrong password (cognito-local)', email, 'Wrong-Horse-99', 'InvalidPasswordException'],
  ])('answers %s with the same 401', async (_case, tryEmail, tryPassword, wrongPasswordCode) => {
    const { deps, idp } = setup();
    idp.wrongPasswordCode = wrongPasswordCode;

    const error = await login(deps, { email: tryEmail, password: tryPassword }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as InvalidCredentialsError).status).toBe(401);
    expect((error as Error).message).toBe('The email or password is incorrect.');
  });

  it('answers 403 asking to confirm an unconfirmed account', async () => {
    const { deps, user } = setup();
    user.status = 'UNCONFIRMED';

    const error = await login(deps, { email, password }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UserNotConfirmedError);
    expect((error as Error).message).toMatch(/\/v1\/auth\/confirm/);
  });

  it('refuses an MFA challenge with a 403 that says MFA is not supported', async () => {
    const { deps, user } = setup();
    user.mfa = 'SOFTWARE_TOKEN_MFA';

    const error = await login(deps, { email, password }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SignInChallengeError);
    expect((error as SignInChallengeError).status).toBe(403);
    expect((error as Error).message).toMatch(/multi-factor.*not support/);
  });

  it('answers 403 when the password must be reset', async () => {
    const { deps, idp } = setup();
    idp.failNext(
      'passwordSignIn',
      new IdentityProviderError('PasswordResetRequiredException', 'Password reset required'),
    );

    await expect(login(deps, { email, password })).rejects.toBeInstanceOf(PasswordResetRequiredError);
  });

  it('keeps the expiry Cognito reports when it reports one', async () => {
    const { deps, idp } = setup();
    const real = idp.passwordSignIn.bind(idp);
    idp.passwordSignIn = async (e, p) => {
      const result = await real(e, p);
      return result.kind === 'tokens' ? { ...result, tokens: { ...result.tokens, expiresIn: 900 } } : result;
    };

    expect((await login(deps, { email, password })).expiresIn).toBe(900);
  });
});

describe('refreshSession', () => {
  it('exchanges a refresh token for new tokens with the current roles', async () => {
    const { deps, user } = setup();
    const { refreshToken } = await login(deps, { email, password });
    user.groups.add('merchant');

    const tokens = await refreshSession(deps, { refreshToken });

    expect(tokens).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      expiresIn: 3600,
      tokenType: 'Bearer',
    });
    expect(decodeJwtPayload(tokens.accessToken)['cognito:groups']).toEqual(['customer', 'merchant']);
  });

  it('answers 401 for a refresh token Cognito does not know', async () => {
    const { deps } = setup();

    await expect(refreshSession(deps, { refreshToken: 'forged' })).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('logout', () => {
  it('revokes the refresh tokens, so refreshing afterwards is a 401', async () => {
    const { deps } = setup();
    const { accessToken, refreshToken } = await login(deps, { email, password });

    await logout(deps, { accessToken });

    await expect(refreshSession(deps, { refreshToken })).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('answers 401 without an access token', async () => {
    const { deps } = setup();

    await expect(logout(deps, { accessToken: undefined })).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('answers 401 for an access token Cognito refuses', async () => {
    const { deps, idp } = setup();
    idp.failNext(
      'globalSignOut',
      new IdentityProviderError('NotAuthorizedException', 'Access Token has been revoked'),
    );

    await expect(logout(deps, { accessToken: 'a.b.c' })).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
