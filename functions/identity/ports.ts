/**
 * The ports identity's use cases talk through. Adapters (adapters/) implement them with the AWS SDK;
 * unit tests pass in-memory fakes. Nothing here imports the SDK.
 */
import type { Role } from '#shared/http/route';
import type { UserLocale } from '#shared/published/user-locales';
import type { Profile } from './domain/profile';

/**
 * A refusal from the identity provider, named the way Cognito names its exceptions
 * (`NotAuthorizedException`, `UsernameExistsException`, ...). Use cases decide what each means for
 * their route; anything they do not recognise is an outage (500).
 */
export class IdentityProviderError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityProviderError';
  }
}

export interface Tokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Present after a password sign-in, and after a refresh when the pool rotates refresh tokens. */
  readonly refreshToken?: string;
  /** Seconds, when the provider says (AWS does; cognito-local does not). */
  readonly expiresIn?: number;
}

export type PasswordSignInResult =
  | { readonly kind: 'tokens'; readonly tokens: Tokens & { readonly refreshToken: string } }
  | { readonly kind: 'challenge'; readonly challenge: string };

export interface ProviderUser {
  /** The Cognito username (admin API calls take it). */
  readonly username: string;
  /** The `sub` attribute. */
  readonly userId: string;
  /** UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, ... */
  readonly status: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly phone?: string;
}

/** The user pool, seen through the calls identity makes. Methods throw IdentityProviderError on refusals. */
export interface IdentityProvider {
  /** Public SignUp with the email as username; resolves with the new user's sub. */
  signUp(input: SignUpInput): Promise<{ readonly userId: string; readonly confirmed: boolean }>;
  confirmSignUp(email: string, code: string): Promise<void>;
  /** Sends a new sign-up confirmation code (ResendConfirmationCode). */
  resendConfirmationCode(email: string): Promise<void>;
  /** Sends a password-reset code (ForgotPassword). */
  forgotPassword(email: string): Promise<void>;
  /** Sets a new password with the reset code (ConfirmForgotPassword). */
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void>;
  adminConfirmSignUp(username: string): Promise<void>;
  /** By username or email; undefined if there is no such user. */
  getUser(usernameOrEmail: string): Promise<ProviderUser | undefined>;
  listGroups(username: string): Promise<string[]>;
  addToGroup(username: string, group: Role): Promise<void>;
  removeFromGroup(username: string, group: Role): Promise<void>;
  setPermanentPassword(username: string, password: string): Promise<void>;
  passwordSignIn(email: string, password: string): Promise<PasswordSignInResult>;
  refresh(refreshToken: string): Promise<Tokens>;
  /** Revokes every refresh token of the access token's user. */
  globalSignOut(accessToken: string): Promise<void>;
}

export interface ProfileChanges {
  readonly name?: string;
  /** null removes the phone number. */
  readonly phone?: string | null;
  readonly locale?: UserLocale;
}

export interface ProfileRepository {
  get(userId: string): Promise<Profile | undefined>;
  /** Writes the profile unless one exists for the user id; true if this call created it. */
  create(profile: Profile): Promise<boolean>;
  /** Applies the changes to an existing profile; undefined if there is none. */
  update(userId: string, changes: ProfileChanges, updatedAt: string): Promise<Profile | undefined>;
  /** Replaces the roles of an existing profile; undefined if there is none. */
  setRoles(userId: string, roles: readonly Role[], updatedAt: string): Promise<Profile | undefined>;
}

export type Clock = () => Date;
