import { ROLES, type Role } from '#shared/http/route';
import type { UserLocale } from '#shared/published/user-locales';

/** Profiles written before identity stored a locale read as English. */
export const DEFAULT_LOCALE: UserLocale = 'en';

/** A user's profile in the Users table, keyed by Cognito `sub`. */
export interface Profile {
  readonly userId: string;
  /** Cognito username, needed by the admin API calls (with email sign-in it is a UUID, equal to the sub). */
  readonly username: string;
  readonly email: string;
  readonly name: string;
  readonly phone?: string;
  /** The language of the user's notifications (read by the notifications service, user-locales.ts). */
  readonly locale?: UserLocale;
  readonly roles: readonly Role[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What the API shows of a profile: `phone` is null rather than absent, the Cognito username stays inside. */
export interface ProfileView {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  readonly locale: UserLocale;
  readonly roles: readonly Role[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const toProfileView = (p: Profile): ProfileView => ({
  userId: p.userId,
  email: p.email,
  name: p.name,
  phone: p.phone ?? null,
  locale: p.locale ?? DEFAULT_LOCALE,
  roles: p.roles,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Roles without duplicates, in the canonical ROLES order, so stored lists compare equal. */
export const canonicalRoles = (roles: readonly string[]): Role[] => ROLES.filter((r) => roles.includes(r));

/** Fallback display name when none is known (e.g. a profile rebuilt from a Cognito user without `name`). */
export const nameFromEmail = (email: string): string => email.split('@')[0]?.slice(0, 100) || 'Zepto user';
