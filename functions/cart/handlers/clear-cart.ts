import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { cacheFromEnv } from '#shared/cache/index';
import { parseEnv } from '#shared/env';
import { httpHandler } from '#shared/http/handler';
import { DynamoCartRepository } from '../adapters/dynamodb-carts';
import { clearCartRoute } from '../contracts';
import { clearCart } from '../use-cases/cart';

// Clearing needs only the cart and its cache entry: no product, stock or location readers.
const { CARTS_TABLE_NAME } = parseEnv({ CARTS_TABLE_NAME: z.string().check(z.minLength(1)) });
const deps = { carts: new DynamoCartRepository(documentClient, CARTS_TABLE_NAME), cache: cacheFromEnv() };

export const handler = httpHandler(clearCartRoute, async ({ caller }) => {
  await clearCart(deps, caller.userId);
  return undefined;
});
