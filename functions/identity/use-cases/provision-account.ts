/** Creates or repairs an account with fixed roles and password: used by local seeding, never by the API. */
import type { Role } from '#shared/http/route';
import { canonicalRoles, type Profile } from '../domain/profile';
import type { Clock, IdentityProvider, ProfileRepository } from '../ports';
import { profileFromUser } from './profiles';
import { isProviderError } from './provider-errors';
import { syncGroups } from './user-roles';

export interface ProvisionAccountDeps {
  readonly idp: IdentityProvider;
  readonly profiles: ProfileRepository;
  readonly now: Clock;
}

export interface AccountSpec {
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
  readonly roles: readonly Role[];
}

export interface ProvisionedAccount {
  readonly email: string;
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly created: boolean;
}

/**
 * Idempotent: a missing user is signed up; every user ends confirmed, with `password` as permanent
 * password, exactly `roles` as role groups, and a profile with the spec's name, phone and roles.
 */
export async function provisionAccount(
  deps: ProvisionAccountDeps,
  spec: AccountSpec,
  password: string,
): Promise<ProvisionedAccount> {
  const email = spec.email.trim().toLowerCase();
  const roles = canonicalRoles(spec.roles);
  let created = false;
  let user = await deps.idp.getUser(email);
  if (!user) {
    try {
      await deps.idp.signUp({
        email,
        password,
        name: spec.name,
        ...(spec.phone ? { phone: spec.phone } : {}),
      });
      created = true;
    } catch (error) {
      if (!isProviderError(error, 'UsernameExistsException')) throw error; // created concurrently: fine
    }
    user = await deps.idp.getUser(email);
    if (!user) throw new Error(`Signed up ${email} but cannot find the user`);
  }
  if (user.status === 'UNCONFIRMED') await deps.idp.adminConfirmSignUp(user.username);
  await deps.idp.setPermanentPassword(user.username, password);
  await syncGroups(deps.idp, user.username, roles);

  const at = deps.now().toISOString();
  const { phone: _fromCognito, ...rest } = profileFromUser(user, roles, deps.now());
  const profile: Profile = { ...rest, email, name: spec.name, ...(spec.phone ? { phone: spec.phone } : {}) };
  if (!(await deps.profiles.create(profile))) {
    await deps.profiles.update(user.userId, { name: spec.name, phone: spec.phone ?? null }, at);
    await deps.profiles.setRoles(user.userId, roles, at);
  }
  return { email, userId: user.userId, roles, created };
}
