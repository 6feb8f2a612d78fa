import type { Exchange } from './domain';

/** What clients see of an exchange (no storage attributes, no user ids in the history). */
export const exchangeView = (e: Exchange) => ({
  exchangeId: e.exchangeId,
  orderId: e.orderId,
  customerId: e.customerId,
  storeId: e.storeId,
  status: e.status,
  lines: e.lines.map((l) => ({ ...l })),
  valuePaise: e.valuePaise,
  ...(e.note !== undefined ? { note: e.note } : {}),
  photoKeys: [...e.photoKeys],
  ...(e.delivery ? { delivery: { ...e.delivery } } : {}),
  ...(e.refund ? { refund: { ...e.refund } } : {}),
  history: e.history.map(({ status, at, by, note }) => ({
    status,
    at,
    by,
    ...(note !== undefined ? { note } : {}),
  })),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  version: e.version,
});
