/** Serviceability of a point, and saving a customer's location with the store it resolves to. */
import type { Caller } from '#shared/http/identity';
import { minuteOf } from '#shared/published/store-load';
import { cellOf } from '../domain/cells';
import { etaMinutes, LOAD_WINDOW_MINUTES } from '../domain/eta';
import { chooseStore, type NotServiceableReason } from '../domain/serviceability';
import type { LatLng } from '../domain/store';
import type { SaveLocationInput } from '../contracts';
import type { LocationDeps, ServiceabilityDeps } from '../ports';

export type Serviceability =
  | { serviceable: true; storeId: string; storeName: string; etaMinutes: number }
  | { serviceable: false; reason: NotServiceableReason };

/**
 * One Query (the stores indexed under the point's H3 cell) and one BatchGetItem (those stores); the exact
 * area, status and opening hours decide; the nearest serving store wins; its load adds to the ETA.
 */
export async function checkServiceability(deps: ServiceabilityDeps, point: LatLng): Promise<Serviceability> {
  const now = deps.now();
  const ids = await deps.stores.storesInCell(await cellOf(point));
  if (ids.length === 0) return { serviceable: false, reason: 'outside_service_area' };
  const choice = chooseStore(await deps.stores.getStores(ids), point, now);
  if (!choice.serviceable) return { serviceable: false, reason: choice.reason };
  const from = minuteOf(new Date(now.getTime() - (LOAD_WINDOW_MINUTES - 1) * 60_000));
  const recentOrders = await deps.load.ordersBetween(choice.store.id, from, minuteOf(now));
  return {
    serviceable: true,
    storeId: choice.store.id,
    storeName: choice.store.name,
    etaMinutes: etaMinutes({
      prepMinutes: choice.store.prepMinutes,
      distanceMetres: choice.distanceMetres,
      recentOrders,
    }),
  };
}

export async function saveLocation(
  deps: LocationDeps,
  caller: Caller,
  input: SaveLocationInput,
): Promise<Serviceability> {
  const answer = await checkServiceability(deps, input);
  await deps.locations.save({
    userId: caller.userId,
    lat: input.lat,
    lng: input.lng,
    label: input.label,
    address: input.address,
    storeId: answer.serviceable ? answer.storeId : undefined,
    storeName: answer.serviceable ? answer.storeName : undefined,
    updatedAt: deps.now().toISOString(),
  });
  return answer;
}
