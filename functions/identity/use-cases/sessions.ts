/** Sign-in, token refresh and sign-out. */
import { UnauthorizedError } from '#shared/errors';
import { parseGroups } from '#shared/http/identity';
import {
  InvalidCredentialsError,
  InvalidTokenError,
  PasswordResetRequiredError,
  SignInChallengeError,
  UserNotConfirmedError,
} from '../domain/errors';
import { decodeJwtPayload, secondsUntilExpiry } from '../domain/tokens';
import type { Clock, IdentityProvider, ProfileRepository, Tokens } from '../ports';
import { profileFromUser } from './profiles';
import { DEFAULT_ROLE } from './register';
import { commonProviderError, isProviderError } from './provider-errors';

export interface LoginResult {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

export interface RefreshResult {
  readonly accessToken: string;
  readonly idToken: string;
  /** Only when the pool rotates refresh tokens: the client must keep this one instead. */
  readonly refreshToken?: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

export interface LoginDeps {
  readonly idp: Pick<IdentityProvider, 'passwordSignIn' | 'getUser' | 'addToGroup' | 'refresh'>;
  readonly profiles: Pick<ProfileRepository, 'create'>;
  readonly now: Clock;
}

/**
 * Password sign-in. Unknown email and wrong password are one 401 — including cognito-local's
 * InvalidPasswordException, which AWS reports as NotAuthorizedException.
 *
 * A token without any role means the user's registration stopped after Cognito's SignUp (see
 * register.ts): sign-in finishes it — writes the missing profile, adds the customer group — and
 * refreshes the tokens so the ones returned carry the group.
 */
export async function login(
  deps: LoginDeps,
  input: { email: string; password: string },
): Promise<LoginResult> {
  let result;
  try {
    result = await deps.idp.passwordSignIn(input.email, input.password);
  } catch (error) {
    if (
      isProviderError(error, 'NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException')
    ) {
      throw new InvalidCredentialsError();
    }
    if (isProviderError(error, 'UserNotConfirmedException')) throw new UserNotConfirmedError();
    if (isProviderError(error, 'PasswordResetRequiredException')) throw new PasswordResetRequiredError();
    throw commonProviderError(error);
  }
  if (result.kind === 'challenge') throw new SignInChallengeError(result.challenge);

  let tokens: Tokens & { refreshToken: string } = result.tokens;
  if (parseGroups(decodeJwtPayload(tokens.accessToken)['cognito:groups']).length === 0) {
    tokens = await finishRegistration(deps, tokens);
  }
  return {
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    refreshToken: tokens.refreshToken,
    expiresIn: tokens.expiresIn ?? secondsUntilExpiry(tokens.accessToken, deps.now()),
    tokenType: 'Bearer',
  };
}

async function finishRegistration(
  deps: LoginDeps,
  tokens: Tokens & { refreshToken: string },
): Promise<Tokens & { refreshToken: string }> {
  const claims = decodeJwtPayload(tokens.accessToken);
  const username = typeof claims.username === 'string' ? claims.username : String(claims.sub);
  const user = await deps.idp.getUser(username);
  if (!user) throw new InvalidCredentialsError();
  await deps.profiles.create(profileFromUser(user, [DEFAULT_ROLE], deps.now()));
  await deps.idp.addToGroup(user.username, DEFAULT_ROLE);
  const refreshed = await deps.idp.refresh(tokens.refreshToken);
  return { ...refreshed, refreshToken: refreshed.refreshToken ?? tokens.refreshToken };
}

export interface RefreshDeps {
  readonly idp: Pick<IdentityProvider, 'refresh'>;
  readonly now: Clock;
}

/** New access and id tokens for a refresh token; an invalid, expired or revoked one is a 401. */
export async function refreshSession(
  deps: RefreshDeps,
  input: { refreshToken: string },
): Promise<RefreshResult> {
  let tokens: Tokens;
  try {
    tokens = await deps.idp.refresh(input.refreshToken);
  } catch (error) {
    if (
      isProviderError(error, 'NotAuthorizedException', 'UserNotFoundException', 'InvalidParameterException')
    ) {
      throw new InvalidTokenError('The refresh token is invalid, expired or revoked. Log in again.');
    }
    throw commonProviderError(error);
  }
  return {
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresIn: tokens.expiresIn ?? secondsUntilExpiry(tokens.accessToken, deps.now()),
    tokenType: 'Bearer',
  };
}

export interface LogoutDeps {
  readonly idp: Pick<IdentityProvider, 'globalSignOut'>;
}

/**
 * Signs the user out everywhere: all their refresh tokens are revoked. Access tokens already issued stay
 * valid for API Gateway's authorizer until they expire (Cognito cannot recall a signed JWT).
 */
export async function logout(deps: LogoutDeps, input: { accessToken: string | undefined }): Promise<void> {
  if (!input.accessToken)
    throw new UnauthorizedError('Send the access token as Authorization: Bearer <token>.');
  try {
    await deps.idp.globalSignOut(input.accessToken);
  } catch (error) {
    if (isProviderError(error, 'NotAuthorizedException', 'UserNotFoundException')) {
      throw new InvalidTokenError('The access token is invalid, expired or already signed out.');
    }
    throw commonProviderError(error);
  }
}
