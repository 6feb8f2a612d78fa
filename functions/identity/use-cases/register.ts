import { ValidationError, type FieldError } from '#shared/errors';
import type { Role } from '#shared/http/route';
import type { UserLocale } from '#shared/published/user-locales';
import { EmailTakenError } from '../domain/errors';
import { DEFAULT_LOCALE } from '../domain/profile';
import type { Clock, IdentityProvider, ProfileRepository } from '../ports';
import { commonProviderError, isProviderError } from './provider-errors';

export interface RegisterDeps {
  readonly idp: Pick<IdentityProvider, 'signUp' | 'adminConfirmSignUp' | 'addToGroup'>;
  readonly profiles: Pick<ProfileRepository, 'create'>;
  readonly now: Clock;
  /** Confirm at once (local, dev) instead of waiting for the emailed code. */
  readonly autoConfirmSignUp: boolean;
}

export interface RegisterInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly phone?: string;
  readonly locale?: UserLocale;
}

export interface RegisterResult {
  readonly userId: string;
  readonly email: string;
  readonly confirmed: boolean;
  readonly nextStep: 'LOGIN' | 'CONFIRM_SIGN_UP';
}

/** Every registered user is a customer; other roles are granted by an admin. */
export const DEFAULT_ROLE: Role = 'customer';

/**
 * Signs the user up, confirms them when the stage auto-confirms, writes their profile, then adds them to
 * the customer group — in that order, so a failure after SignUp always leaves a user with no group, which
 * sign-in recognises and finishes (see login.ts). Both later steps are idempotent.
 */
export async function register(deps: RegisterDeps, input: RegisterInput): Promise<RegisterResult> {
  let signedUp: { userId: string; confirmed: boolean };
  try {
    signedUp = await deps.idp.signUp(input);
  } catch (error) {
    throw signUpError(error);
  }
  // With email sign-in, Cognito's username is the sub.
  const username = signedUp.userId;
  let confirmed = signedUp.confirmed;
  if (!confirmed && deps.autoConfirmSignUp) {
    await deps.idp.adminConfirmSignUp(username);
    confirmed = true;
  }
  const at = deps.now().toISOString();
  await deps.profiles.create({
    userId: signedUp.userId,
    username,
    email: input.email,
    name: input.name,
    ...(input.phone ? { phone: input.phone } : {}),
    // Written at registration so the first notification (the user's first order) is in their language.
    locale: input.locale ?? DEFAULT_LOCALE,
    roles: [DEFAULT_ROLE],
    createdAt: at,
    updatedAt: at,
  });
  await deps.idp.addToGroup(username, DEFAULT_ROLE);
  return {
    userId: signedUp.userId,
    email: input.email,
    confirmed,
    nextStep: confirmed ? 'LOGIN' : 'CONFIRM_SIGN_UP',
  };
}

function signUpError(error: unknown): unknown {
  if (isProviderError(error, 'UsernameExistsException', 'AliasExistsException')) return new EmailTakenError();
  if (isProviderError(error, 'InvalidPasswordException')) {
    return new ValidationError('The password does not meet the password policy.', [
      { in: 'body', field: 'password', message: error.message || 'Password does not meet the policy' },
    ]);
  }
  if (isProviderError(error, 'InvalidParameterException')) {
    return new ValidationError('The identity provider rejected one of the fields.', [
      { in: 'body', field: fieldNamed(error.message), message: error.message || 'Invalid value' },
    ]);
  }
  return commonProviderError(error);
}

/** Best guess at which request field a Cognito InvalidParameterException is about. */
function fieldNamed(message: string): FieldError['field'] {
  if (/phone/i.test(message)) return 'phone';
  if (/password/i.test(message)) return 'password';
  if (/e-?mail|username/i.test(message)) return 'email';
  if (/name/i.test(message)) return 'name';
  return '';
}
