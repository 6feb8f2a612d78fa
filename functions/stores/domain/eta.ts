/**
 * Delivery ETA = preparation time + riding time over the road-adjusted distance + a load term for the
 * store's recent orders. Constants, not stage settings: they do not differ between stages.
 */
/** Road distance ≈ straight-line distance × this. */
export const ROAD_FACTOR = 1.4;
/** Average riding speed of a delivery partner in the city. */
export const RIDER_SPEED_KMPH = 20;
/** Orders of the last this-many minutes (the current one included) count as load. */
export const LOAD_WINDOW_MINUTES = 10;
/** Each recent order adds this much waiting (packers are busy)… */
export const LOAD_MINUTES_PER_ORDER = 0.5;
/** …up to this much. */
export const LOAD_MAX_MINUTES = 20;

export function travelMinutes(straightLineMetres: number): number {
  return ((straightLineMetres * ROAD_FACTOR) / 1000 / RIDER_SPEED_KMPH) * 60;
}

export function loadMinutes(recentOrders: number): number {
  return Math.min(LOAD_MAX_MINUTES, Math.max(0, recentOrders) * LOAD_MINUTES_PER_ORDER);
}

/** Whole minutes, rounded up (a promise of "9 minutes" must not be 9.4). */
export function etaMinutes(input: {
  readonly prepMinutes: number;
  readonly distanceMetres: number;
  readonly recentOrders: number;
}): number {
  return Math.ceil(input.prepMinutes + travelMinutes(input.distanceMetres) + loadMinutes(input.recentOrders));
}
