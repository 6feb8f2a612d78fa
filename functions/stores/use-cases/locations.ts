import { NotFoundError } from '#shared/errors';
import type { Caller } from '#shared/http/identity';
import type { SavedLocation } from '#shared/published/saved-location';
import type { LocationRepository } from '../ports';

export async function getSavedLocation(
  deps: { readonly locations: LocationRepository },
  caller: Caller,
): Promise<SavedLocation> {
  const saved = await deps.locations.get(caller.userId);
  if (!saved) throw new NotFoundError('No location saved yet; PUT /v1/me/location first.');
  return saved;
}
