/** Admin: create and change dark stores; the H3 index follows every change of location or area. */
import { coveringCells, MAX_CELLS } from '../domain/cells';
import { distanceMetres } from '../domain/geo';
import { storeErrors, type LatLng, type ServiceArea, type Store } from '../domain/store';
import type { CreateStoreInput, UpdateStoreInput } from '../admin-contracts';
import type { StoresDeps } from '../ports';

/** No two corners of a polygon area further apart than this (checked before any cell is computed). */
export const MAX_POLYGON_SPAN_METRES = 10_000;

async function cellsFor(area: ServiceArea, location: LatLng): Promise<string[]> {
  if (area.type === 'polygon') {
    const span = Math.max(...area.vertices.flatMap((a) => area.vertices.map((b) => distanceMetres(a, b))));
    if (span > MAX_POLYGON_SPAN_METRES)
      throw storeErrors.invalid([
        {
          in: 'body',
          field: 'area.vertices',
          message: `The service area is too large: corners may be at most ${MAX_POLYGON_SPAN_METRES} m apart`,
        },
      ]);
  }
  const cells = await coveringCells(area, location);
  if (cells.length > MAX_CELLS)
    throw storeErrors.invalid([
      {
        in: 'body',
        field: 'area',
        message: `The service area is too large: it spans ${cells.length} index cells, at most ${MAX_CELLS} are allowed`,
      },
    ]);
  return cells;
}

export async function createStore(deps: StoresDeps, input: CreateStoreInput): Promise<Store> {
  const now = deps.now().toISOString();
  const store: Store = {
    id: deps.newId(),
    name: input.name,
    location: input.location,
    area: input.area,
    hours: input.hours,
    prepMinutes: input.prepMinutes,
    status: input.status,
    merchantId: input.merchantId,
    staff: {},
    cells: await cellsFor(input.area, input.location),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.stores.createStore(store);
  return store;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateStore(
  deps: StoresDeps,
  storeId: string,
  patch: UpdateStoreInput,
): Promise<Store> {
  const before = await deps.stores.getStore(storeId);
  if (!before) throw storeErrors.notFound(storeId);
  const location = patch.location ?? before.location;
  const area = patch.area ?? before.area;
  const moved = !same(location, before.location) || !same(area, before.area);
  const after: Store = {
    ...before,
    name: patch.name ?? before.name,
    location,
    area,
    hours: patch.hours ?? before.hours,
    prepMinutes: patch.prepMinutes ?? before.prepMinutes,
    status: patch.status ?? before.status,
    merchantId: patch.merchantId ?? before.merchantId,
    cells: moved ? await cellsFor(area, location) : before.cells,
    updatedAt: deps.now().toISOString(),
    version: before.version + 1,
  };
  const { updatedAt: _a, version: _b, ...changed } = after;
  const { updatedAt: _c, version: _d, ...current } = before;
  if (same(changed, current)) return before;
  await deps.stores.updateStore(before, after);
  return after;
}
