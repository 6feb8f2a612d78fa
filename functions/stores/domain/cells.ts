/**
 * The H3 index of service areas (ADR 8): one fixed resolution, a set of cells per store that contains every
 * cell any point of its area can fall in. A lookup takes the one cell of the customer's point, reads the
 * stores indexed under it and checks their exact areas.
 *
 * h3-js (about 207 KiB of minified asm.js) is imported on the first call, from a chunk of its own: a cold
 * start never parses it, and a function that does not index or look up in a given request (a store PATCH
 * of its name or hours) never loads it at all (docs/decisions/0010-lean-functions.md).
 */
import { circumscribedPolygon, distanceMetres } from './geo';
import type { LatLng, ServiceArea } from './store';

/** Resolution 7: hexagons of about 5.2 km², edges about 1.4 km. */
export const H3_RESOLUTION = 7;
/**
 * At most this many cells per store, so that one transaction can hold the store and both its old and new
 * cells (1 + 49 + 49 ≤ 100 items) when an area moves completely. A 5 km radius needs about 45.
 */
export const MAX_CELLS = 49;

type H3 = Pick<typeof import('h3-js'), 'gridDisk' | 'latLngToCell' | 'polygonToCells'>;
let h3: Promise<H3> | undefined;
const loadH3 = (): Promise<H3> => (h3 ??= import('h3-js'));

const cellIn = (lib: H3, point: LatLng): string => lib.latLngToCell(point.lat, point.lng, H3_RESOLUTION);

/** The cell of a point. */
export const cellOf = async (point: LatLng): Promise<string> => cellIn(await loadH3(), point);

/**
 * Cells covering a polygon, boundary included: the cells whose centre is inside (polyfill), plus the cells
 * of points sampled along every edge closer together than a cell is wide, plus one ring around all of
 * them. A point inside the polygon lies in a cell whose centre is inside, or else the segment from the point
 * to that centre crosses an edge inside the same cell, near a sampled point whose cell is that cell or
 * its neighbour — so it is in the set.
 */
function polygonCells(lib: H3, vertices: readonly LatLng[]): Set<string> {
  const seeds = new Set<string>(
    lib.polygonToCells(
      vertices.map((v) => [v.lat, v.lng] as [number, number]),
      H3_RESOLUTION,
    ),
  );
  const stepMetres = 250;
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    const b = vertices[(i + 1) % vertices.length]!;
    const steps = Math.max(1, Math.ceil(distanceMetres(a, b) / stepMetres));
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      seeds.add(cellIn(lib, { lat: a.lat + (b.lat - a.lat) * t, lng: a.lng + (b.lng - a.lng) * t }));
    }
  }
  const cells = new Set<string>();
  for (const seed of seeds) for (const cell of lib.gridDisk(seed, 1)) cells.add(cell);
  return cells;
}

/** Every cell a point of the area can be in, sorted (a circle is covered through a polygon around it). */
export async function coveringCells(area: ServiceArea, centre: LatLng): Promise<string[]> {
  const lib = await loadH3();
  const vertices = area.type === 'radius' ? circumscribedPolygon(centre, area.radiusMetres) : area.vertices;
  const cells = polygonCells(lib, vertices);
  if (area.type === 'radius') for (const cell of lib.gridDisk(cellIn(lib, centre), 1)) cells.add(cell);
  return [...cells].sort();
}
