/** Identity's domain errors: each carries its HTTP status; functions/shared/http/problem.ts renders them. */
import { DomainError } from '#shared/errors';

/** One answer for unknown email and wrong password, so sign-in cannot be used to find accounts. */
export class InvalidCredentialsError extends DomainError {
  readonly status = 401;
  readonly title = 'Invalid credentials';
  readonly code = 'invalid-credentials';
  constructor() {
    super('The email or password is incorrect.');
  }
}

export class InvalidTokenError extends DomainError {
  readonly status = 401;
  readonly title = 'Invalid token';
  readonly code = 'invalid-token';
}

export class UserNotConfirmedError extends DomainError {
  readonly status = 403;
  readonly title = 'Account not confirmed';
  readonly code = 'user-not-confirmed';
  constructor() {
    super('Confirm your account first: send the code you received by email to POST /v1/auth/confirm.');
  }
}

export class PasswordResetRequiredError extends DomainError {
  readonly status = 403;
  readonly title = 'Password reset required';
  readonly code = 'password-reset-required';
  constructor() {
    super('This account must reset its password before it can sign in.');
  }
}

/** Cognito asked for a second step (MFA, new password) that this API version cannot complete. */
export class SignInChallengeError extends DomainError {
  readonly status = 403;
  readonly title = 'Sign-in challenge not supported';
  readonly code = 'sign-in-challenge-not-supported';
  constructor(readonly challenge: string) {
    super(
      /MFA/.test(challenge)
        ? `This account requires multi-factor sign-in (${challenge}), which this API version does not support.`
        : `This account requires a sign-in step (${challenge}) that this API version does not support.`,
    );
  }
}

export class EmailTakenError extends DomainError {
  readonly status = 409;
  readonly title = 'Email already registered';
  readonly code = 'email-taken';
  constructor() {
    super('An account with this email already exists. Log in, or confirm it if you have not yet.');
  }
}

export class SelfDemotionError extends DomainError {
  readonly status = 409;
  readonly title = 'Cannot remove own admin role';
  readonly code = 'self-demotion';
  constructor() {
    super('An admin may not remove the admin role from themselves; ask another admin.');
  }
}
