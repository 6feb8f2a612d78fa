/** Domain objects → response bodies (no versions, no cells). */
import type { ResponseBody } from '#shared/http/route';
import type { SavedLocation } from '#shared/published/saved-location';
import type { adminStoreSchema } from './admin-contracts';
import type { publicStoreSchema, savedLocationSchema } from './contracts';
import { isServing } from './domain/serviceability';
import type { Store } from './domain/store';

export const publicStoreView = (s: Store, now: Date): ResponseBody<typeof publicStoreSchema> => ({
  id: s.id,
  name: s.name,
  location: s.location,
  hours: s.hours as ResponseBody<typeof publicStoreSchema>['hours'],
  status: s.status,
  openNow: isServing(s, now),
  prepMinutes: s.prepMinutes,
});

export const adminStoreView = (s: Store, now: Date): ResponseBody<typeof adminStoreSchema> => ({
  ...publicStoreView(s, now),
  area: s.area as ResponseBody<typeof adminStoreSchema>['area'],
  merchantId: s.merchantId,
  staff: Object.entries(s.staff)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([userId, role]) => ({ userId, role })),
  cellCount: s.cells.length,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

export const savedLocationView = (l: SavedLocation): ResponseBody<typeof savedLocationSchema> =>
  Object.fromEntries(
    Object.entries({
      lat: l.lat,
      lng: l.lng,
      label: l.label,
      address: l.address,
      storeId: l.storeId,
      storeName: l.storeName,
      updatedAt: l.updatedAt,
    }).filter(([, v]) => v !== undefined),
  ) as ResponseBody<typeof savedLocationSchema>;
