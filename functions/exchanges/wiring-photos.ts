/** Wiring of the photo upload URLs, apart from wiring.ts so only that function bundles the URL signer. */
import { ulid } from 'ulid';
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { presignPut } from '#shared/aws/s3-presigner';
import { parseEnv } from '#shared/env';
import { readOrderForExchange } from '#shared/published/delivered-order';
import type { PhotoDeps } from './use-cases/photos';

export function photoDeps(): PhotoDeps {
  const env = parseEnv({
    ORDERS_TABLE_NAME: z.string().check(z.minLength(1)),
    EXCHANGE_PHOTOS_BUCKET_NAME: z.string().check(z.minLength(1)),
  });
  return {
    orders: { get: (orderId) => readOrderForExchange(documentClient, env.ORDERS_TABLE_NAME, orderId) },
    presignPut: (request) => presignPut(env.EXCHANGE_PHOTOS_BUCKET_NAME, request),
    newId: () => ulid(),
  };
}
