/** Identity's domain errors: each carries its HTTP status; functions/shared/http/problem.ts renders them. */
import { domainError } from '#shared/errors';

/** One answer for unknown email and wrong password, so sign-in cannot be used to find accounts. */
export class InvalidCredentialsError extends domainError(401, 'Invalid credentials', 'invalid-credentials') {
  constructor() {
    super('The email or password is incorrect.');
  }
}

export class InvalidTokenError extends domainError(401, 'Invalid token', 'invalid-token') {}

export class UserNotConfirmedError extends domainError(403, 'Account not confirmed', 'user-not-confirmed') {
  constructor() {
    super('Confirm your account first: send the code you received by email to POST /v1/auth/confirm.');
  }
}

export class PasswordResetRequiredError extends domainError(
  403,
  'Password reset required',
  'password-reset-required',
) {
  constructor() {
    super('This account must reset its password before it can sign in.');
  }
}

/** Cognito asked for a second step (MFA, new password) that this API version cannot complete. */
export class SignInChallengeError extends domainError(
  403,
  'Sign-in challenge not supported',
  'sign-in-challenge-not-supported',
) {
  constructor(readonly challenge: string) {
    super(
      /MFA/.test(challenge)
        ? `This account requires multi-factor sign-in (${challenge}), which this API version does not support.`
        : `This account requires a sign-in step (${challenge}) that this API version does not support.`,
    );
  }
}

export class EmailTakenError extends domainError(409, 'Email already registered', 'email-taken') {
  constructor() {
    super('An account with this email already exists. Log in, or confirm it if you have not yet.');
  }
}

export class SelfDemotionError extends domainError(409, 'Cannot remove own admin role', 'self-demotion') {
  constructor() {
    super('An admin may not remove the admin role from themselves; ask another admin.');
  }
}
