import { HttpResponse } from '#shared/http/handler';
import type { StockLine } from './domain';

export const stockLineView = (l: StockLine) => ({
  productId: l.productId,
  available: l.available,
  reserved: l.reserved,
  version: l.version,
  updatedAt: l.updatedAt,
});

/** The line with its version as a strong ETag, for a later If-Match. */
export const stockLineResponse = (l: StockLine) =>
  new HttpResponse(200, stockLineView(l), { etag: `"${l.version}"` });
