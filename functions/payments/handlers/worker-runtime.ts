/**
 * What the payment and refund workers do with a use case's outcome: `retry` delays the message's next
 * delivery (the backoff, through its visibility timeout) and reports it failed, so SQS counts the attempt
 * and dead-letters it after maxReceiveCount; `defer` (breaker open) sends a delayed copy and lets the
 * original go, so waiting out an outage costs no attempt.
 */
import type { SQSRecord } from 'aws-lambda';
import { metrics } from '#shared/powertools';
import { delayRedelivery } from '../adapters/queue-control';
import type { WorkOutcome } from '../use-cases/process-payment';

export class TransientProviderError extends Error {
  constructor(reason: string, delaySeconds: number) {
    super(`${reason}: next attempt in ${delaySeconds} s`);
    this.name = 'TransientProviderError';
  }
}

export const receiveCount = (record: SQSRecord) =>
  Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);

export async function applyOutcome(
  outcome: WorkOutcome,
  record: SQSRecord,
  queueUrl: string,
  defer: (delaySeconds: number) => Promise<void>,
): Promise<void> {
  if (outcome.kind === 'done') return;
  if (outcome.kind === 'defer') {
    await defer(outcome.delaySeconds);
    metrics.addMetric('ProviderCallsDeferred', 'Count', 1);
    return;
  }
  metrics.addMetric('ProviderAttemptsFailed', 'Count', 1);
  await delayRedelivery(queueUrl, record.receiptHandle, outcome.delaySeconds);
  throw new TransientProviderError(outcome.reason, outcome.delaySeconds);
}
