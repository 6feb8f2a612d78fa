/** Geometry on the sphere, good to a few metres at city scale. */
import type { LatLng, ServiceArea } from './store';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle (haversine) distance in metres. */
export function distanceMetres(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Ray casting in the (lng, lat) plane: fine for service areas of a few kilometres that do not cross the
 * antimeridian. A point exactly on an edge may fall either way.
 */
export function insidePolygon(point: LatLng, vertices: readonly LatLng[]): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[i]!;
    const b = vertices[j]!;
    if (a.lat > point.lat !== b.lat > point.lat) {
      const lngAtLat = a.lng + ((point.lat - a.lat) / (b.lat - a.lat)) * (b.lng - a.lng);
      if (point.lng < lngAtLat) inside = !inside;
    }
  }
  return inside;
}

/** Does the store's exact service area (centred on its location for a radius) cover the point? */
export function covers(area: ServiceArea, centre: LatLng, point: LatLng): boolean {
  return area.type === 'radius'
    ? distanceMetres(centre, point) <= area.radiusMetres
    : insidePolygon(point, area.vertices);
}

/** The point `metres` away from `from` on the initial bearing `bearingRad` (clockwise from north). */
export function destination(from: LatLng, metres: number, bearingRad: number): LatLng {
  const d = metres / EARTH_RADIUS_M;
  const lat1 = rad(from.lat);
  const lng1 = rad(from.lng);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearingRad));
  const lng2 =
    lng1 +
    Math.atan2(
      Math.sin(bearingRad) * Math.sin(d) * Math.cos(lat1),
      Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
    );
  return { lat: (lat2 * 180) / Math.PI, lng: (lng2 * 180) / Math.PI };
}

/** A regular polygon with `sides` corners that contains the whole circle (its edges touch it from outside). */
export function circumscribedPolygon(centre: LatLng, radiusMetres: number, sides = 32): LatLng[] {
  const r = radiusMetres / Math.cos(Math.PI / sides);
  return Array.from({ length: sides }, (_, i) => destination(centre, r, (2 * Math.PI * i) / sides));
}
