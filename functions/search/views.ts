/** Search hits → response items: the catalogue's product summary shape, with availability at the store. */
import type { ResponseBody } from '#shared/http/route';
import type { searchItemSchema } from './contracts';
import type { SearchHit } from './use-cases/search';

export type SearchItem = ResponseBody<typeof searchItemSchema>;

export const searchItem = ({ doc, availability }: SearchHit): SearchItem => ({
  id: doc.id,
  slug: doc.slug,
  name: doc.name,
  ...(doc.brand ? { brand: doc.brand } : {}),
  categoryId: doc.categoryId,
  unit: doc.unit,
  pricePaise: doc.pricePaise,
  mrpPaise: doc.mrpPaise,
  currency: 'INR',
  ...(doc.imageKey ? { imageKey: doc.imageKey } : {}),
  ...(availability ? { availability } : {}),
});

export const DEGRADED_HEADER = 'Zepto-Search-Degraded';
