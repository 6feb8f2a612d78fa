/**
 * Account recovery for stages that confirm sign-ups by emailed code: a new confirmation code, and a
 * password reset (code by email, then the new password with the code).
 *
 * None of these may tell a caller whether an email has an account. Sending a code always "succeeds"
 * (202) — unknown users, confirmed users and accounts that cannot reset are silently skipped, as Cognito
 * itself does with PreventUserExistenceErrors — and every reason a reset fails apart from the password
 * policy is the same 400 on `code`.
 */
import { ValidationError } from '#shared/errors';
import type { IdentityProvider } from '../ports';
import { CODE_REFUSALS, codeRefused, commonProviderError, isProviderError } from './provider-errors';

/**
 * What Cognito says when there is no code to send to this account: no such user, already confirmed or no
 * verified email (InvalidParameterException), disabled or in a state that cannot reset (NotAuthorized).
 */
const NOTHING_TO_SEND = ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException'];

export interface ResendConfirmationDeps {
  readonly idp: Pick<IdentityProvider, 'resendConfirmationCode'>;
}

/** Emails a new sign-up confirmation code if the account is still unconfirmed; otherwise does nothing. */
export async function resendConfirmationCode(
  deps: ResendConfirmationDeps,
  input: { email: string },
): Promise<void> {
  try {
    await deps.idp.resendConfirmationCode(input.email);
  } catch (error) {
    if (isProviderError(error, ...NOTHING_TO_SEND)) return;
    throw commonProviderError(error);
  }
}

export interface ForgotPasswordDeps {
  readonly idp: Pick<IdentityProvider, 'forgotPassword'>;
}

/** Emails a password-reset code if the account exists and may reset its password; otherwise does nothing. */
export async function forgotPassword(deps: ForgotPasswordDeps, input: { email: string }): Promise<void> {
  try {
    await deps.idp.forgotPassword(input.email);
  } catch (error) {
    if (isProviderError(error, ...NOTHING_TO_SEND)) return;
    throw commonProviderError(error);
  }
}

export interface ResetPasswordDeps {
  readonly idp: Pick<IdentityProvider, 'confirmForgotPassword'>;
}

/**
 * Sets the new password with the emailed code. A wrong or expired code, an unknown email and an account
 * that cannot reset all get the same 400 on `code`; a password the pool's policy refuses is a 400 on
 * `newPassword` with Cognito's reason.
 */
export async function resetPassword(
  deps: ResetPasswordDeps,
  input: { email: string; code: string; newPassword: string },
): Promise<void> {
  try {
    await deps.idp.confirmForgotPassword(input.email, input.code, input.newPassword);
  } catch (error) {
    if (
      isProviderError(error, 'InvalidPasswordException') ||
      (isProviderError(error, 'InvalidParameterException') && /password/i.test(error.message))
    ) {
      throw new ValidationError('The new password does not meet the password policy.', [
        {
          in: 'body',
          field: 'newPassword',
          message: error.message || 'Password does not meet the policy',
        },
      ]);
    }
    // InvalidParameterException too: Cognito's answer when the user cannot reset (e.g. no verified email).
    if (isProviderError(error, ...CODE_REFUSALS, 'InvalidParameterException')) throw codeRefused('reset');
    throw commonProviderError(error);
  }
}
