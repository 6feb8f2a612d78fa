/** The body of every channel worker: a partial-batch consumer of its channel's queue. */
import * as z from 'zod/mini';
import { queueHandler } from '#shared/queue/consumer';
import { NOTIFICATION_CHANNELS } from '../domain';
import type { DeliverDeps } from '../ports';
import { deliver } from '../use-cases/deliver';

export const channelMessageSchema = z.strictObject({
  notificationId: z.string().check(z.minLength(1), z.maxLength(64)),
  userId: z.string().check(z.minLength(1), z.maxLength(128)),
  channel: z.enum(NOTIFICATION_CHANNELS),
});

export const channelWorker = (deps: DeliverDeps) =>
  queueHandler(channelMessageSchema, async (message, record) => {
    await deliver(deps, message, {
      receiveCount: Number(record.attributes.ApproximateReceiveCount ?? '1'),
      receiptHandle: record.receiptHandle,
      eventSourceArn: record.eventSourceARN,
    });
  });

export { WORKER_TIMEOUT_SECONDS } from '../domain';
