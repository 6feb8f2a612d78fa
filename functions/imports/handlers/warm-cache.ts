/** InventoryImport Task: writes one chunk's lines through the cache for the product pages. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { cacheFromEnv } from '#shared/cache/index';
import { logger } from '#shared/powertools';
import { chunkTaskSchema } from '../machine';
import { warmChunk } from '../use-cases/apply';
import { warmDeps } from '../wiring';

const deps = warmDeps(cacheFromEnv());

export const handler = middy(async (event: unknown) => warmChunk(deps, chunkTaskSchema.parse(event))).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
