import { TooManyRequestsError, ValidationError } from '#shared/errors';
import { IdentityProviderError } from '../ports';

export const isProviderError = (error: unknown, ...codes: string[]): error is IdentityProviderError =>
  error instanceof IdentityProviderError && (codes.length === 0 || codes.includes(error.code));

/**
 * Cognito's answers to a wrong or expired code, and to an unknown or unconfirmable user: a code route
 * answers them all with the same 400 (`codeRefused`), so it reveals nothing about which emails exist.
 */
export const CODE_REFUSALS = [
  'CodeMismatchException',
  'ExpiredCodeException',
  'UserNotFoundException',
  'NotAuthorizedException',
] as const;

export const codeRefused = (what: string): ValidationError =>
  new ValidationError(`The ${what} code is invalid or has expired.`, [
    { in: 'body', field: 'code', message: 'Invalid or expired code' },
  ]);

/**
 * Refusals every route answers the same way. Anything else is returned unchanged, to be rethrown: an
 * unexpected provider error is an outage (500, details in the log), not the caller's fault.
 */
export function commonProviderError(error: unknown): unknown {
  if (
    isProviderError(
      error,
      'TooManyRequestsException',
      'LimitExceededException',
      'TooManyFailedAttemptsException',
    )
  ) {
    return new TooManyRequestsError('Too many attempts. Wait a moment and try again.');
  }
  return error;
}
