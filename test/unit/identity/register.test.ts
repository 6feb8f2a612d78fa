import { EmailTakenError } from '../../../functions/identity/domain/errors';
import { IdentityProviderError } from '../../../functions/identity/ports';
import { register } from '../../../functions/identity/use-cases/register';
import { login } from '../../../functions/identity/use-cases/sessions';
import { decodeJwtPayload } from '../../../functions/identity/domain/tokens';
import { TooManyRequestsError, ValidationError } from '../../../functions/shared/errors';
import { clock, FakeIdentityProvider, FakeProfiles, NOW } from './fakes';

const input = {
  email: 'asha@example.com',
  password: 'Correct-Horse-9',
  name: 'Asha Rao',
  phone: '+919876543210',
};

function setup(autoConfirmSignUp: boolean) {
  const idp = new FakeIdentityProvider();
  const profiles = new FakeProfiles();
  return { idp, profiles, deps: { idp, profiles, now: clock, autoConfirmSignUp } };
}

describe('register', () => {
  it('leaves the account unconfirmed and asks for the code when the stage does not auto-confirm', async () => {
    const { idp, deps } = setup(false);

    const result = await register(deps, input);

    expect(result).toEqual({
      userId: expect.any(String),
      email: input.email,
      confirmed: false,
      nextStep: 'CONFIRM_SIGN_UP',
    });
    expect(idp.userByEmail(input.email)?.status).toBe('UNCONFIRMED');
    expect(idp.methodsCalled()).not.toContain('adminConfirmSignUp');
  });

  it('confirms at once when the stage auto-confirms', async () => {
    const { idp, deps } = setup(true);

    const result = await register(deps, input);

    expect(result).toMatchObject({ confirmed: true, nextStep: 'LOGIN' });
    expect(idp.userByEmail(input.email)?.status).toBe('CONFIRMED');
  });

  it('does not confirm again a user the pool already confirmed', async () => {
    const { idp, deps } = setup(true);
    idp.confirmOnSignUp = true;

    const result = await register(deps, input);

    expect(result.confirmed).toBe(true);
    expect(idp.methodsCalled()).not.toContain('adminConfirmSignUp');
  });

  it('writes a customer profile keyed by the sub and adds the customer group', async () => {
    const { idp, profiles, deps } = setup(true);

    const { userId } = await register(deps, input);

    expect(profiles.items.get(userId)).toEqual({
      userId,
      username: userId,
      email: input.email,
      name: input.name,
      phone: input.phone,
      // No locale given: English, written so that notifications read it.
      locale: 'en',
      roles: ['customer'],
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect([...idp.userByEmail(input.email)!.groups]).toEqual(['customer']);
  });

  it('writes the locale given at registration, the language of the user’s notifications', async () => {
    const { profiles, deps } = setup(true);

    const { userId } = await register(deps, { ...input, locale: 'hi' });

    expect(profiles.items.get(userId)?.locale).toBe('hi');
  });

  it('answers 409 for an email that is already registered, and writes nothing', async () => {
    const { idp, profiles, deps } = setup(true);
    idp.addUser({ email: input.email, password: 'x' });

    await expect(register(deps, input)).rejects.toBeInstanceOf(EmailTakenError);
    expect(profiles.items.size).toBe(0);
  });

  it("puts Cognito's password policy message on the password field", async () => {
    const { deps } = setup(true);

    const error = await register(deps, { ...input, password: 'NoSymbolsHere1' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { in: 'body', field: 'password', message: expect.stringContaining('symbol') },
    ]);
  });

  it('maps an InvalidParameterException about the phone to a 400 on the phone field', async () => {
    const { idp, deps } = setup(true);
    idp.failNext(
      'signUp',
      new IdentityProviderError('InvalidParameterException', 'Invalid phone number format.'),
    );

    const error = await register(deps, input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors?.[0]?.field).toBe('phone');
  });

  it('answers 429 when Cognito throttles', async () => {
    const { idp, deps } = setup(true);
    idp.failNext('signUp', new IdentityProviderError('TooManyRequestsException', 'Rate exceeded'));

    await expect(register(deps, input)).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it('lets an unexpected Cognito failure through as an outage', async () => {
    const { idp, deps } = setup(true);
    const outage = new IdentityProviderError('InternalErrorException', 'boom');
    idp.failNext('signUp', outage);

    await expect(register(deps, input)).rejects.toBe(outage);
  });

  describe('when it stops after the sign-up', () => {
    it('does not add the group when the profile write failed, so the user has no role', async () => {
      const { idp, profiles, deps } = setup(true);
      profiles.failNext('create', new Error('DynamoDB unavailable'));

      await expect(register(deps, input)).rejects.toThrow('DynamoDB unavailable');

      expect(idp.userByEmail(input.email)?.groups.size).toBe(0);
    });

    it('is finished by the next sign-in: profile written, customer group added, tokens carry the role', async () => {
      const { idp, profiles, deps } = setup(true);
      profiles.failNext('create', new Error('DynamoDB unavailable'));
      await expect(register(deps, input)).rejects.toThrow();
      const userId = idp.userByEmail(input.email)!.sub;

      const tokens = await login(deps, { email: input.email, password: input.password });

      expect(decodeJwtPayload(tokens.accessToken)['cognito:groups']).toEqual(['customer']);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(profiles.items.get(userId)).toMatchObject({
        userId,
        email: input.email,
        name: input.name,
        phone: input.phone,
        roles: ['customer'],
      });
    });

    it('is finished by the next sign-in when only the group was missing, keeping the profile', async () => {
      const { idp, profiles, deps } = setup(true);
      idp.failNext('addToGroup', new IdentityProviderError('InternalErrorException', 'boom'));
      await expect(register(deps, input)).rejects.toThrow();
      const userId = idp.userByEmail(input.email)!.sub;
      const written = profiles.items.get(userId);

      const tokens = await login(deps, { email: input.email, password: input.password });

      expect(decodeJwtPayload(tokens.accessToken)['cognito:groups']).toEqual(['customer']);
      expect(profiles.items.get(userId)).toBe(written);
    });

    it('makes a retried registration answer 409 rather than create a second account', async () => {
      const { idp, profiles, deps } = setup(true);
      profiles.failNext('create', new Error('DynamoDB unavailable'));
      await expect(register(deps, input)).rejects.toThrow();

      await expect(register(deps, input)).rejects.toBeInstanceOf(EmailTakenError);
      expect(idp.users.size).toBe(1);
    });
  });
});
