import type { IdentityProvider } from '../ports';
import { CODE_REFUSALS, codeRefused, commonProviderError, isProviderError } from './provider-errors';

export interface ConfirmSignUpDeps {
  readonly idp: Pick<IdentityProvider, 'confirmSignUp'>;
}

/**
 * Completes a sign-up with the emailed code. A wrong or expired code, an unknown email and an account
 * that cannot be confirmed (e.g. already confirmed) all get the same 400, so the route reveals nothing
 * about which emails have accounts.
 */
export async function confirmSignUp(
  deps: ConfirmSignUpDeps,
  input: { email: string; code: string },
): Promise<void> {
  try {
    await deps.idp.confirmSignUp(input.email, input.code);
  } catch (error) {
    if (isProviderError(error, ...CODE_REFUSALS)) throw codeRefused('confirmation');
    throw commonProviderError(error);
  }
}
