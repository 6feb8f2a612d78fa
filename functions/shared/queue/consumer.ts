/**
 * The runtime of a queue consumer (`trigger: {kind: 'queue'}`): Powertools' batch processor with partial
 * batch responses, each message body parsed as JSON and checked against the consumer's schema. A message
 * that fails — a thrown error, or a body that is not what the schema says — is reported as a batch item
 * failure: SQS delivers it again after the visibility timeout and moves it to the DLQ after the queue's
 * maxReceiveCount (alarmed), so nothing is dropped silently.
 */
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { logger, metrics } from '../powertools';

export class InvalidMessageError extends Error {
  constructor(messageId: string, issues: string) {
    super(`Message ${messageId} does not match its schema: ${issues}`);
    this.name = 'InvalidMessageError';
  }
}

export interface QueueHandlerOptions {
  /**
   * FIFO queues: at the first failure of a message group, its later messages are not processed ahead of
   * it (they are reported as failures too and come back in order).
   */
  readonly fifo?: boolean;
}

export function queueHandler<S extends z.ZodMiniType>(
  schema: S,
  handleMessage: (message: z.infer<S>, record: SQSRecord) => Promise<void>,
  opts: QueueHandlerOptions = {},
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const processor = opts.fifo ? new SqsFifoPartialProcessorAsync() : new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord): Promise<void> => {
    const parsed = schema.safeParse(parseJson(record.body));
    if (!parsed.success) {
      // Issues name the paths and the rule, never the values (they may be personal data).
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.code}`).join('; ');
      throw new InvalidMessageError(record.messageId, issues);
    }
    await handleMessage(parsed.data, record);
  };
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // Every message failing is an answer too (e.g. a provider down): report it instead of throwing, so
    // the messages come back one by one after their visibility timeout.
    const response =
      processor instanceof SqsFifoPartialProcessorAsync
        ? await processPartialResponse(event, handleRecord, processor, {
            context,
            throwOnFullBatchFailure: false,
            // Only the failed message group stops; other groups in the batch go on.
            skipGroupOnError: true,
          })
        : await processPartialResponse(event, handleRecord, processor, {
            context,
            throwOnFullBatchFailure: false,
          });
    const failed = response.batchItemFailures.length;
    if (failed > 0)
      logger.warn('Messages failed', {
        failed,
        received: event.Records.length,
        errors: processor.errors.map((e) => `${e.name}: ${e.message}`),
      });
    metrics.addMetric('MessagesProcessed', 'Count', event.Records.length - failed);
    if (failed > 0) metrics.addMetric('MessagesFailed', 'Count', failed);
    return response;
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
