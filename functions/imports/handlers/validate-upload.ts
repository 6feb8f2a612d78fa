/**
 * The validator: S3 ObjectCreated under imports/ (suffix .csv). Each record is one uploaded file; what
 * happened to it is logged and counted, and a failure is recorded on the import (FAILED) rather than
 * thrown, so S3's retries never validate a file twice.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { logger, metrics } from '#shared/powertools';
import { validateUpload, type ValidationOutcome } from '../use-cases/validate';
import { validatorDeps } from '../wiring-validator';

const deps = validatorDeps();

const s3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventTime: z.string(),
      s3: z.object({
        object: z.object({
          key: z.string().check(z.minLength(1)),
          size: z._default(z.number(), 0),
          eTag: z._default(z.string(), ''),
        }),
      }),
    }),
  ),
});

/** S3 event keys are URL-encoded, with `+` for a space. */
const decodeKey = (key: string) => decodeURIComponent(key.replaceAll('+', ' '));

export const handler = middy(
  async (event: unknown): Promise<{ outcomes: ValidationOutcome['outcome'][] }> => {
    // A malformed event is a deployment bug: fail loudly (Lambda Errors alarm).
    const { Records } = s3EventSchema.parse(event);
    const outcomes: ValidationOutcome['outcome'][] = [];
    for (const record of Records) {
      const key = decodeKey(record.s3.object.key);
      const result = await validateUpload(deps, {
        key,
        etag: record.s3.object.eTag,
        size: record.s3.object.size,
        uploadedAt: record.eventTime,
      });
      outcomes.push(result.outcome);
      metrics.addMetric(`ImportUpload_${result.outcome}`, 'Count', 1);
      if (result.outcome === 'failed')
        logger.error('Import validation failed', { key, error: result.error as Error });
      else logger.info('Import upload handled', { key, ...result });
    }
    return { outcomes };
  },
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
