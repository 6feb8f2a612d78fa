/** Which store serves a point: among the candidates whose exact area covers it and that are open now, the nearest. */
import { covers, distanceMetres } from './geo';
import { isOpenAt } from './hours';
import type { LatLng, Store } from './store';

export type NotServiceableReason = 'outside_service_area' | 'no_store_open';

export type StoreChoice =
  | { readonly serviceable: true; readonly store: Store; readonly distanceMetres: number }
  | { readonly serviceable: false; readonly reason: NotServiceableReason };

export const isServing = (store: Store, at: Date): boolean =>
  store.status === 'open' && isOpenAt(store.hours, at);

export function chooseStore(candidates: readonly Store[], point: LatLng, at: Date): StoreChoice {
  const covering = candidates.filter((s) => covers(s.area, s.location, point));
  if (covering.length === 0) return { serviceable: false, reason: 'outside_service_area' };
  const serving = covering
    .filter((s) => isServing(s, at))
    .map((store) => ({ store, distance: distanceMetres(store.location, point) }))
    .sort((a, b) => a.distance - b.distance || (a.store.id < b.store.id ? -1 : 1));
  const best = serving[0];
  if (!best) return { serviceable: false, reason: 'no_store_open' };
  return { serviceable: true, store: best.store, distanceMetres: best.distance };
}
