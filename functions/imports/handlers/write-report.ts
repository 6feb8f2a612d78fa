/** InventoryImport Task: the error report CSV next to the upload. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '#shared/powertools';
import { manifestSchema } from '../machine';
import { writeReport } from '../use-cases/apply';
import { reportDeps } from '../wiring-report';

const deps = reportDeps();

export const handler = middy(async (event: unknown) => writeReport(deps, manifestSchema.parse(event))).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
