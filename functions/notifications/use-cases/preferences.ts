/** The caller's notification preferences (defaults until they set some, in the profile's locale). */
import type { Caller } from '#shared/http/identity';
import { defaultPreferences, type Preferences } from '../domain';
import type { PreferencesDeps } from '../ports';

export async function getPreferences(deps: PreferencesDeps, caller: Caller): Promise<Preferences> {
  const stored = await deps.preferences.get(caller.userId);
  if (stored) return stored;
  return defaultPreferences((await deps.contacts.get(caller.userId))?.locale);
}

export async function putPreferences(
  deps: PreferencesDeps,
  caller: Caller,
  preferences: Preferences,
): Promise<Preferences> {
  await deps.preferences.put(caller.userId, preferences);
  return preferences;
}
