import { IdentityProviderError } from '../../../functions/identity/ports';
import {
  forgotPassword,
  resendConfirmationCode,
  resetPassword,
} from '../../../functions/identity/use-cases/account-recovery';
import { TooManyRequestsError, ValidationError } from '../../../functions/shared/errors';
import { FakeIdentityProvider } from './fakes';

const email = 'meera@example.com';
const password = 'Correct-Horse-9!';

function setup() {
  const idp = new FakeIdentityProvider();
  const user = idp.addUser({ email, password });
  return { idp, user, deps: { idp } };
}

const fieldOf = (error: unknown) => (error as ValidationError).errors?.map((e) => e.field);

describe('resendConfirmationCode', () => {
  it('issues a new code to an unconfirmed account', async () => {
    const { deps, user } = setup();
    user.status = 'UNCONFIRMED';
    const before = user.code;

    await resendConfirmationCode(deps, { email });

    expect(user.code).not.toBe(before);
  });

  it.each([
    ['an unknown email', 'UserNotFoundException'],
    ['an already confirmed account', 'InvalidParameterException'],
    ['a disabled account', 'NotAuthorizedException'],
  ])('answers %s like any other (no error)', async (_case, code) => {
    const { deps, idp } = setup();
    idp.failNext('resendConfirmationCode', new IdentityProviderError(code, 'refused'));

    await expect(resendConfirmationCode(deps, { email })).resolves.toBeUndefined();
  });

  it('is silent for an unknown email and a confirmed account with the real fake behaviour', async () => {
    const { deps } = setup();

    await expect(resendConfirmationCode(deps, { email: 'nobody@example.com' })).resolves.toBeUndefined();
    await expect(resendConfirmationCode(deps, { email })).resolves.toBeUndefined();
  });

  it.each(['LimitExceededException', 'TooManyRequestsException'])('answers 429 on %s', async (code) => {
    const { deps, idp } = setup();
    idp.failNext('resendConfirmationCode', new IdentityProviderError(code, 'slow down'));

    await expect(resendConfirmationCode(deps, { email })).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('lets an unexpected Cognito failure through as an outage', async () => {
    const { deps, idp } = setup();
    const outage = new IdentityProviderError('CodeDeliveryFailureException', 'SES down');
    idp.failNext('resendConfirmationCode', outage);

    await expect(resendConfirmationCode(deps, { email })).rejects.toBe(outage);
  });
});

describe('forgotPassword', () => {
  it('issues a reset code to an existing account', async () => {
    const { deps, user } = setup();
    const before = user.code;

    await forgotPassword(deps, { email });

    expect(user.code).not.toBe(before);
  });

  it('is silent for an unknown email', async () => {
    const { deps } = setup();

    await expect(forgotPassword(deps, { email: 'nobody@example.com' })).resolves.toBeUndefined();
  });

  it.each([
    ['an unknown email', 'UserNotFoundException'],
    ['an account without a verified email', 'InvalidParameterException'],
    ['an account that cannot reset in its state', 'NotAuthorizedException'],
  ])('answers %s like any other (no error)', async (_case, code) => {
    const { deps, idp } = setup();
    idp.failNext('forgotPassword', new IdentityProviderError(code, 'refused'));

    await expect(forgotPassword(deps, { email })).resolves.toBeUndefined();
  });

  it.each(['LimitExceededException', 'TooManyRequestsException'])('answers 429 on %s', async (code) => {
    const { deps, idp } = setup();
    idp.failNext('forgotPassword', new IdentityProviderError(code, 'slow down'));

    await expect(forgotPassword(deps, { email })).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('lets an unexpected Cognito failure through as an outage', async () => {
    const { deps, idp } = setup();
    const outage = new IdentityProviderError('InternalErrorException', 'boom');
    idp.failNext('forgotPassword', outage);

    await expect(forgotPassword(deps, { email })).rejects.toBe(outage);
  });
});

describe('resetPassword', () => {
  const newPassword = 'Battery-Staple-7!';

  it('sets the new password with the emailed code', async () => {
    const { deps, user } = setup();
    await forgotPassword(deps, { email });

    await resetPassword(deps, { email, code: user.code, newPassword });

    expect(user.password).toBe(newPassword);
  });

  it('answers a wrong code with a 400 on code and keeps the password', async () => {
    const { deps, user } = setup();
    await forgotPassword(deps, { email });

    const error = await resetPassword(deps, { email, code: '000000', newPassword }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect(fieldOf(error)).toEqual(['code']);
    expect(user.password).toBe(password);
  });

  it.each([
    'CodeMismatchException',
    'ExpiredCodeException',
    'UserNotFoundException',
    'NotAuthorizedException',
    'InvalidParameterException',
  ])('answers %s with the same 400 on code', async (code) => {
    const { deps, idp } = setup();
    idp.failNext('confirmForgotPassword', new IdentityProviderError(code, 'refused'));

    const error = await resetPassword(deps, { email, code: '123456', newPassword }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('The reset code is invalid or has expired.');
    expect((error as ValidationError).errors).toEqual([
      { in: 'body', field: 'code', message: 'Invalid or expired code' },
    ]);
  });

  it('answers an unknown email exactly like a wrong code', async () => {
    const { deps } = setup();

    const unknown = await resetPassword(deps, {
      email: 'nobody@example.com',
      code: '123456',
      newPassword,
    }).catch((e: unknown) => e);
    const wrong = await resetPassword(deps, { email, code: '000000', newPassword }).catch((e: unknown) => e);

    expect((unknown as ValidationError).errors).toEqual((wrong as ValidationError).errors);
    expect((unknown as Error).message).toBe((wrong as Error).message);
  });

  it("puts Cognito's password policy message on newPassword", async () => {
    const { deps, user } = setup();
    await forgotPassword(deps, { email });

    const error = await resetPassword(deps, {
      email,
      code: user.code,
      newPassword: 'NoSymbolsHere1',
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { in: 'body', field: 'newPassword', message: expect.stringContaining('symbol') },
    ]);
    expect(user.password).toBe(password);
  });

  it('puts an InvalidParameterException about the password on newPassword', async () => {
    const { deps, idp } = setup();
    idp.failNext(
      'confirmForgotPassword',
      new IdentityProviderError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'password' failed to satisfy constraint",
      ),
    );

    const error = await resetPassword(deps, { email, code: '123456', newPassword }).catch((e: unknown) => e);

    expect(fieldOf(error)).toEqual(['newPassword']);
  });

  it.each(['LimitExceededException', 'TooManyRequestsException', 'TooManyFailedAttemptsException'])(
    'answers 429 on %s',
    async (code) => {
      const { deps, idp } = setup();
      idp.failNext('confirmForgotPassword', new IdentityProviderError(code, 'slow down'));

      await expect(resetPassword(deps, { email, code: '123456', newPassword })).rejects.toBeInstanceOf(
        TooManyRequestsError,
      );
    },
  );

  it('lets an unexpected Cognito failure through as an outage', async () => {
    const { deps, idp } = setup();
    const outage = new IdentityProviderError('InternalErrorException', 'boom');
    idp.failNext('confirmForgotPassword', outage);

    await expect(resetPassword(deps, { email, code: '123456', newPassword })).rejects.toBe(outage);
  });
});
