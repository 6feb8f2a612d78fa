/** Photo uploads for an exchange: pre-signed PUTs under the order's own prefix, for its customer only. */
import type { Caller } from '#shared/http/identity';
import type { OrderForExchange } from '#shared/published/delivered-order';
import { PHOTO_CONTENT_TYPES } from '../contracts';
import { exchangeErrors, photoPrefix } from '../domain';

export const PHOTO_URL_SECONDS = 300;

export interface PhotoDeps {
  readonly orders: { get(orderId: string): Promise<OrderForExchange | undefined> };
  readonly presignPut: (request: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
  }) => Promise<string>;
  readonly newId: () => string;
}

export async function createPhotoUpload(
  deps: PhotoDeps,
  caller: Caller,
  orderId: string,
  photo: { contentType: keyof typeof PHOTO_CONTENT_TYPES; contentLength: number },
) {
  const order = await deps.orders.get(orderId);
  if (!order || order.customerId !== caller.userId) throw exchangeErrors.orderNotFound(orderId);
  const key = `${photoPrefix(orderId)}${deps.newId()}.${PHOTO_CONTENT_TYPES[photo.contentType]}`;
  const uploadUrl = await deps.presignPut({ key, ...photo, expiresInSeconds: PHOTO_URL_SECONDS });
  return {
    uploadUrl,
    method: 'PUT' as const,
    headers: { 'Content-Type': photo.contentType, 'Content-Length': String(photo.contentLength) },
    key,
    expiresIn: PHOTO_URL_SECONDS,
  };
}
