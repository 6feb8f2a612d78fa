/** Granting and revoking roles (Cognito groups, mirrored in the profile). */
import { ForbiddenError, NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { Role } from '#shared/http/route';
import { SelfDemotionError } from '../domain/errors';
import { canonicalRoles, isRole, type Profile } from '../domain/profile';
import type { Clock, IdentityProvider, ProfileRepository } from '../ports';
import { commonProviderError, isProviderError } from './provider-errors';

type GroupPort = Pick<IdentityProvider, 'listGroups' | 'addToGroup' | 'removeFromGroup'>;

/**
 * Makes the user's role groups exactly `roles`. Groups are added before any is removed, so the user is
 * never left without a role half-way (sign-in treats a role-less user as an unfinished registration).
 * Groups that are not roles are left alone.
 */
export async function syncGroups(
  idp: GroupPort,
  username: string,
  roles: readonly Role[],
): Promise<{ added: Role[]; removed: Role[] }> {
  const current = (await idp.listGroups(username)).filter(isRole);
  const added = roles.filter((r) => !current.includes(r));
  const removed = current.filter((r) => !roles.includes(r));
  for (const role of added) await idp.addToGroup(username, role);
  for (const role of removed) await idp.removeFromGroup(username, role);
  return { added, removed };
}

export interface SetUserRolesDeps {
  readonly idp: GroupPort;
  readonly profiles: Pick<ProfileRepository, 'get' | 'setRoles'>;
  readonly now: Clock;
}

/**
 * Replaces a user's roles. They take effect in the user's next tokens (sign-in or refresh), not in
 * tokens already issued. An admin cannot remove their own admin role (no lock-out).
 *
 * The actor's admin role is checked against the user pool as well as the token: a demoted admin keeps a
 * token that says admin until it expires, and must not use it to restore their role or demote others.
 */
export async function setUserRoles(
  deps: SetUserRolesDeps,
  actor: Caller,
  input: { userId: string; roles: readonly Role[] },
): Promise<Profile> {
  const roles = canonicalRoles(input.roles);
  if (actor.userId === input.userId && !roles.includes('admin')) throw new SelfDemotionError();
  await ensureStillAdmin(deps.idp, actor);
  const profile = await deps.profiles.get(input.userId);
  if (!profile) throw new NotFoundError('No user has this id.');
  try {
    await syncGroups(deps.idp, profile.username, roles);
  } catch (error) {
    if (isProviderError(error, 'UserNotFoundException')) throw new NotFoundError('No user has this id.');
    throw commonProviderError(error);
  }
  const updated = await deps.profiles.setRoles(input.userId, roles, deps.now().toISOString());
  if (!updated) throw new NotFoundError('No user has this id.');
  return updated;
}

async function ensureStillAdmin(idp: GroupPort, actor: Caller): Promise<void> {
  let groups: string[];
  try {
    groups = await idp.listGroups(actor.username);
  } catch (error) {
    if (!isProviderError(error, 'UserNotFoundException')) throw commonProviderError(error);
    groups = [];
  }
  if (!groups.includes('admin')) {
    throw new ForbiddenError('This action needs the admin role, which this account no longer has.');
  }
}
