import { NotFoundError } from '#shared/errors';
import type { Role } from '#shared/http/route';
import { canonicalRoles, nameFromEmail, type Profile } from '../domain/profile';
import type { Clock, IdentityProvider, ProfileRepository, ProviderUser } from '../ports';

const E164 = /^\+[1-9]\d{6,14}$/;

/** A profile built from what the user pool knows about a user (their registration-time attributes). */
export function profileFromUser(user: ProviderUser, roles: readonly Role[], now: Date): Profile {
  const email = (user.attributes.email ?? '').trim().toLowerCase();
  const name = user.attributes.name?.trim().slice(0, 100) || nameFromEmail(email);
  const phone = user.attributes.phone_number;
  const at = now.toISOString();
  return {
    userId: user.userId,
    username: user.username,
    email,
    name,
    ...(phone && E164.test(phone) ? { phone } : {}),
    roles: canonicalRoles(roles),
    createdAt: at,
    updatedAt: at,
  };
}

export interface EnsureProfileDeps {
  readonly idp: Pick<IdentityProvider, 'getUser'>;
  readonly profiles: Pick<ProfileRepository, 'get' | 'create'>;
  readonly now: Clock;
}

/**
 * The caller's profile. A registration that failed after Cognito's SignUp can leave a user without one;
 * it is rebuilt here from the Cognito user, with the roles of the caller's token.
 */
export async function ensureProfile(
  deps: EnsureProfileDeps,
  who: { readonly userId: string; readonly username: string; readonly roles: readonly Role[] },
): Promise<Profile> {
  const existing = await deps.profiles.get(who.userId);
  if (existing) return existing;
  const user = await deps.idp.getUser(who.username);
  if (!user || user.userId !== who.userId) throw new NotFoundError('This account no longer exists.');
  const rebuilt = profileFromUser(user, who.roles, deps.now());
  if (await deps.profiles.create(rebuilt)) return rebuilt;
  // Someone else rebuilt it meanwhile: theirs is the one that counts.
  return (await deps.profiles.get(who.userId)) ?? rebuilt;
}
