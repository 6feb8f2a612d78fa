/**
 * The cache of a function, from its environment (lib/app/env.ts gives CACHE_* variables only to functions
 * that declare the cache): the Redis-backed port, or the pass-through one when no cache is configured.
 * Nothing connects here: ioredis is imported and the connection opened on the first cache call.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { booleanString, parseEnv } from '../env';
import { logger, metrics } from '../powertools';
import { IoredisStore } from './ioredis-store';
import { passThroughCache, type Cache } from './port';
import { RedisCache, type CacheObserver } from './redis-cache';

export type { Cache, CacheEntry, CacheInvalidation, CacheKind } from './port';
export { CACHE_TTL_SECONDS, passThroughCache } from './port';
export { closeAllStores as closeCacheConnections } from './ioredis-store';

/** Counts `CacheError` (namespace Zepto, the function's service and stage) and logs what failed. */
export const metricsObserver: CacheObserver = {
  error(operation, error) {
    metrics.addMetric('CacheError', MetricUnit.Count, 1);
    logger.warn('Cache unavailable, serving from the source', {
      operation,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  },
};

export function cacheFromEnv(source: NodeJS.ProcessEnv = process.env): Cache {
  const env = parseEnv(
    {
      CACHE_ENDPOINT: z.optional(z.string().check(z.minLength(1))),
      CACHE_TLS: z.optional(booleanString()),
      CACHE_AUTH_SECRET_ARN: z.optional(z.string().check(z.startsWith('arn:'))),
    },
    source,
  );
  if (!env.CACHE_ENDPOINT) return passThroughCache;
  const secretArn = env.CACHE_AUTH_SECRET_ARN;
  const store = new IoredisStore({
    endpoint: env.CACHE_ENDPOINT,
    tls: env.CACHE_TLS ?? false,
    password: secretArn ? () => authToken(secretArn) : undefined,
  });
  return new RedisCache(store, metricsObserver);
}

/** The AUTH token, read once per instance (Powertools caches it; imported only where AUTH is used). */
async function authToken(secretArn: string): Promise<string> {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  const token = await getSecret(secretArn, { maxAge: 15 * 60 });
  if (typeof token !== 'string' || token.length === 0) throw new Error('The cache AUTH secret is empty');
  return token;
}
