/** The caller's own profile: GET and PATCH /v1/me. */
import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { Profile } from '../domain/profile';
import type { Clock, IdentityProvider, ProfileChanges, ProfileRepository } from '../ports';
import { ensureProfile } from './profiles';

export interface MyProfileDeps {
  readonly idp: Pick<IdentityProvider, 'getUser'>;
  readonly profiles: Pick<ProfileRepository, 'get' | 'create' | 'update'>;
  readonly now: Clock;
}

export const getMyProfile = (deps: MyProfileDeps, caller: Caller): Promise<Profile> =>
  ensureProfile(deps, caller);

/**
 * Changes the caller's name and/or phone (null removes it). The Users table is the source of truth for
 * both after registration; Cognito keeps the values given at sign-up.
 */
export async function updateMyProfile(
  deps: MyProfileDeps,
  caller: Caller,
  changes: ProfileChanges,
): Promise<Profile> {
  const at = () => deps.now().toISOString();
  const updated = await deps.profiles.update(caller.userId, changes, at());
  if (updated) return updated;
  await ensureProfile(deps, caller);
  const retried = await deps.profiles.update(caller.userId, changes, at());
  if (!retried) throw new NotFoundError('This account no longer exists.');
  return retried;
}
