/** InventoryImport Task: applies one chunk of valid rows to the store's stock lines. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '#shared/powertools';
import { chunkTaskSchema } from '../machine';
import { applyChunk } from '../use-cases/apply';
import { applyDeps } from '../wiring';

const deps = applyDeps();

export const handler = middy(async (event: unknown) => {
  const task = chunkTaskSchema.parse(event);
  const result = await applyChunk(deps, task);
  logger.info('Import chunk applied', { importId: task.importId, chunk: task.chunkKey, ...result });
  return result;
}).use(injectLambdaContext(logger, { resetKeys: true }));
