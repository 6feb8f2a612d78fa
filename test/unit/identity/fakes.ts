/** In-memory stand-ins for identity's ports, with failure injection for partial-failure tests. */
import { randomUUID } from 'node:crypto';
import type { Role } from '../../../functions/shared/http/route';
import type { Profile } from '../../../functions/identity/domain/profile';
import { decodeJwtPayload } from '../../../functions/identity/domain/tokens';
import {
  IdentityProviderError,
  type IdentityProvider,
  type PasswordSignInResult,
  type ProfileChanges,
  type ProfileRepository,
  type ProviderUser,
  type Tokens,
} from '../../../functions/identity/ports';

export const NOW = new Date('2026-11-27T10:00:00.000Z');
export const clock = () => NOW;

/** An unsigned JWT-shaped token: the use cases only read its payload. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

interface FakeUser {
  username: string;
  sub: string;
  email: string;
  password: string;
  status: 'UNCONFIRMED' | 'CONFIRMED';
  attributes: Record<string, string>;
  code: string;
  groups: Set<string>;
  refreshTokens: Set<string>;
  mfa?: string;
}

type Method = keyof IdentityProvider;

export class FakeIdentityProvider implements IdentityProvider {
  readonly users = new Map<string, FakeUser>();
  readonly calls: { method: Method; args: unknown[] }[] = [];
  /** Sign-up results come back confirmed, as with a PreSignUp trigger that auto-confirms. */
  confirmOnSignUp = false;
  /** How cognito-local reports a wrong password (AWS says NotAuthorizedException). */
  wrongPasswordCode = 'NotAuthorizedException';
  private readonly failures = new Map<Method, Error>();

  /** The next call of `method` throws `error` (once). */
  failNext(method: Method, error: Error): void {
    this.failures.set(method, error);
  }

  addUser(u: Partial<FakeUser> & { email: string; password: string }): FakeUser {
    const sub = u.sub ?? randomUUID();
    const user: FakeUser = {
      username: sub,
      sub,
      status: 'CONFIRMED',
      code: '123456',
      groups: new Set(),
      refreshTokens: new Set(),
      ...u,
      attributes: { sub, email: u.email, ...(u.attributes ?? {}) },
    };
    this.users.set(user.username, user);
    return user;
  }

  userByEmail(email: string): FakeUser | undefined {
    return [...this.users.values()].find((u) => u.email === email);
  }

  private enter(method: Method, ...args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  private find(usernameOrEmail: string): FakeUser {
    const user = this.users.get(usernameOrEmail) ?? this.userByEmail(usernameOrEmail);
    if (!user) throw new IdentityProviderError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  private issue(user: FakeUser): Tokens & { refreshToken: string } {
    const groups = [...user.groups].sort();
    const common = { sub: user.sub, exp: Math.floor(NOW.getTime() / 1000) + 3600 };
    const refreshToken = `refresh-${randomUUID()}`;
    user.refreshTokens.add(refreshToken);
    return {
      accessToken: fakeJwt({
        ...common,
        username: user.username,
        token_use: 'access',
        ...(groups.length ? { 'cognito:groups': groups } : {}),
      }),
      idToken: fakeJwt({ ...common, email: user.email, token_use: 'id' }),
      refreshToken,
    };
  }

  async signUp(input: { email: string; password: string; name: string; phone?: string }) {
    this.enter('signUp', input);
    if (this.userByEmail(input.email))
      throw new IdentityProviderError('UsernameExistsException', 'User already exists');
    if (!/[^\w\s]/.test(input.password)) {
      throw new IdentityProviderError(
        'InvalidPasswordException',
        'Password did not conform with policy: Password must have symbol characters',
      );
    }
    const user = this.addUser({
      email: input.email,
      password: input.password,
      status: this.confirmOnSignUp ? 'CONFIRMED' : 'UNCONFIRMED',
      attributes: { name: input.name, ...(input.phone ? { phone_number: input.phone } : {}) },
    });
    return { userId: user.sub, confirmed: this.confirmOnSignUp };
  }

  async confirmSignUp(email: string, code: string) {
    this.enter('confirmSignUp', email, code);
    const user = this.userByEmail(email);
    if (!user)
      throw new IdentityProviderError('UserNotFoundException', 'Username/client id combination not found.');
    if (user.status === 'CONFIRMED')
      throw new IdentityProviderError(
        'NotAuthorizedException',
        'User cannot be confirmed. Current status is CONFIRMED',
      );
    if (user.code !== code)
      throw new IdentityProviderError('CodeMismatchException', 'Invalid verification code provided');
    user.status = 'CONFIRMED';
  }

  /** Codes are counted up, so a resent or reset code differs from the one before. */
  private codesIssued = 0;
  private newCode(): string {
    this.codesIssued += 1;
    return String(200000 + this.codesIssued);
  }

  async resendConfirmationCode(email: string) {
    this.enter('resendConfirmationCode', email);
    const user = this.find(email);
    if (user.status !== 'UNCONFIRMED')
      throw new IdentityProviderError('InvalidParameterException', 'User is already confirmed.');
    user.code = this.newCode();
  }

  async forgotPassword(email: string) {
    this.enter('forgotPassword', email);
    this.find(email).code = this.newCode();
  }

  async confirmForgotPassword(email: string, code: string, newPassword: string) {
    this.enter('confirmForgotPassword', email, code, newPassword);
    const user = this.find(email);
    if (user.code !== code)
      throw new IdentityProviderError('CodeMismatchException', 'Invalid verification code provided');
    if (!/[^\w\s]/.test(newPassword)) {
      throw new IdentityProviderError(
        'InvalidPasswordException',
        'Password does not conform to policy: Password must have symbol characters',
      );
    }
    user.password = newPassword;
    user.status = 'CONFIRMED';
  }

  async adminConfirmSignUp(username: string) {
    this.enter('adminConfirmSignUp', username);
    const user = this.find(username);
    if (user.status !== 'UNCONFIRMED')
      throw new IdentityProviderError('NotAuthorizedException', 'User cannot be confirmed.');
    user.status = 'CONFIRMED';
  }

  async getUser(usernameOrEmail: string): Promise<ProviderUser | undefined> {
    this.enter('getUser', usernameOrEmail);
    const user = this.users.get(usernameOrEmail) ?? this.userByEmail(usernameOrEmail);
    return (
      user && {
        username: user.username,
        userId: user.sub,
        status: user.status,
        attributes: { ...user.attributes },
      }
    );
  }

  async listGroups(username: string) {
    this.enter('listGroups', username);
    return [...this.find(username).groups];
  }

  async addToGroup(username: string, group: Role) {
    this.enter('addToGroup', username, group);
    this.find(username).groups.add(group);
  }

  async removeFromGroup(username: string, group: Role) {
    this.enter('removeFromGroup', username, group);
    this.find(username).groups.delete(group);
  }

  async setPermanentPassword(username: string, password: string) {
    this.enter('setPermanentPassword', username, password);
    this.find(username).password = password;
  }

  async passwordSignIn(email: string, password: string): Promise<PasswordSignInResult> {
    this.enter('passwordSignIn', email, password);
    const user = this.userByEmail(email);
    if (!user) throw new IdentityProviderError('UserNotFoundException', 'User does not exist.');
    if (user.password !== password)
      throw new IdentityProviderError(this.wrongPasswordCode, 'Incorrect username or password.');
    if (user.status === 'UNCONFIRMED')
      throw new IdentityProviderError('UserNotConfirmedException', 'User is not confirmed.');
    if (user.mfa) return { kind: 'challenge', challenge: user.mfa };
    return { kind: 'tokens', tokens: this.issue(user) };
  }

  async refresh(refreshToken: string): Promise<Tokens> {
    this.enter('refresh', refreshToken);
    const user = [...this.users.values()].find((u) => u.refreshTokens.has(refreshToken));
    if (!user) throw new IdentityProviderError('NotAuthorizedException', 'Invalid Refresh Token');
    const { accessToken, idToken } = this.issue(user);
    return { accessToken, idToken };
  }

  async globalSignOut(accessToken: string) {
    this.enter('globalSignOut', accessToken);
    const { sub } = decodeJwtPayload(accessToken);
    const user = [...this.users.values()].find((u) => u.sub === sub);
    if (!user) throw new IdentityProviderError('NotAuthorizedException', 'Access Token has been revoked');
    user.refreshTokens.clear();
  }

  methodsCalled(): Method[] {
    return this.calls.map((c) => c.method);
  }
}

export class FakeProfiles implements ProfileRepository {
  readonly items = new Map<string, Profile>();
  private readonly failures = new Map<keyof ProfileRepository, Error>();

  failNext(method: keyof ProfileRepository, error: Error): void {
    this.failures.set(method, error);
  }

  private enter(method: keyof ProfileRepository): void {
    const failure = this.failures.get(method);
    if (failure) {
      this.failures.delete(method);
      throw failure;
    }
  }

  async get(userId: string) {
    this.enter('get');
    return this.items.get(userId);
  }

  async create(profile: Profile) {
    this.enter('create');
    if (this.items.has(profile.userId)) return false;
    this.items.set(profile.userId, profile);
    return true;
  }

  async update(userId: string, changes: ProfileChanges, updatedAt: string) {
    this.enter('update');
    const current = this.items.get(userId);
    if (!current) return undefined;
    const { phone: _old, ...rest } = current;
    const phone = changes.phone === undefined ? current.phone : changes.phone;
    const next: Profile = {
      ...rest,
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(phone ? { phone } : {}),
      ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
      updatedAt,
    };
    this.items.set(userId, next);
    return next;
  }

  async setRoles(userId: string, roles: readonly Role[], updatedAt: string) {
    this.enter('setRoles');
    const current = this.items.get(userId);
    if (!current) return undefined;
    const next = { ...current, roles: [...roles], updatedAt };
    this.items.set(userId, next);
    return next;
  }
}
