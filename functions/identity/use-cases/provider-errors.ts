import { TooManyRequestsError } from '#shared/errors';
import { IdentityProviderError } from '../ports';

export const isProviderError = (error: unknown, ...codes: string[]): error is IdentityProviderError =>
  error instanceof IdentityProviderError && (codes.length === 0 || codes.includes(error.code));

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
