/**
 * A channel worker's message: claim the delivery, send through the channel's adapter, record the outcome.
 *
 * - The same message twice (SQS at least once, a re-sent fan-out): the second finds the delivery SENT or
 *   claimed and does nothing — one send per channel.
 * - A worker that dies after its provider accepted the message leaves a claim that lapses: for an
 *   idempotent adapter (in-app, outbox) the next delivery sends again (no second effect); for a provider
 *   without an idempotency key the delivery is FAILED with the reason rather than risking a second message.
 * - A failed send gives the claim back with the reason, backs off (the message's visibility grows with its
 *   receives) and throws, so SQS delivers it again; at the last receive the delivery is FAILED with the
 *   reason and the message goes on to the channel's DLQ. A permanent failure is FAILED at once.
 */
import type { ChannelMessage, Delivery } from '../domain';
import { PermanentSendError, type DeliverDeps } from '../ports';

export interface Receipt {
  /** SQS ApproximateReceiveCount: 1 on the first delivery. */
  readonly receiveCount: number;
  readonly receiptHandle: string;
  readonly eventSourceArn: string;
}

export type DeliverOutcome = 'sent' | 'duplicate' | 'failed' | 'unknown';

export async function deliver(
  deps: DeliverDeps,
  message: ChannelMessage,
  receipt: Receipt,
): Promise<DeliverOutcome> {
  const { channel, notificationId } = message;
  if (channel !== deps.adapter.channel)
    throw new Error(`A ${deps.adapter.channel} worker received a ${channel} message`);
  const now = deps.now();
  const claim = await deps.notifications.claim(
    notificationId,
    channel,
    now.getTime(),
    now.getTime() + deps.leaseMs,
    deps.adapter.idempotent,
  );
  if (claim.outcome === 'early') {
    // Comes back after its back-off, when the release has made it QUEUED (or it is due by this clock).
    await deps.backoff.retryLater(receipt.receiptHandle, receipt.eventSourceArn, receipt.receiveCount);
    throw new Error(`The ${channel} delivery of ${notificationId} is deferred and not due yet`);
  }
  if (claim.outcome === 'done' || claim.outcome === 'busy') {
    deps.metrics.count('DuplicateDeliveries');
    return 'duplicate';
  }
  if (claim.outcome === 'lapsed') {
    const stale = await deps.notifications.get(notificationId);
    const attempts = (stale?.deliveries[channel]?.attempts ?? 0) + 1;
    await deps.notifications.settle(notificationId, channel, {
      status: 'FAILED',
      reason: 'The worker stopped during the send; not sent again so that it cannot arrive twice',
      updatedAt: now.toISOString(),
      attempts,
    });
    deps.metrics.count('UnknownOutcomes');
    return 'unknown';
  }
  const { notification } = claim;
  const attempts = (notification.deliveries[channel]?.attempts ?? 0) + 1;
  try {
    // The dispatcher kept the addresses in the notification; older notifications read them now.
    const to = notification.to;
    const [contact, devices] = await Promise.all([
      to ? to : channel === 'email' || channel === 'whatsapp' ? deps.contacts.get(message.userId) : undefined,
      to ? (to.devices ?? []) : channel === 'push' ? deps.devices.list(message.userId) : [],
    ]);
    const result = await deps.adapter.send({ notification, contact: contact ?? {}, devices });
    for (const deviceId of result.disabledDevices ?? []) await deps.devices.remove(message.userId, deviceId);
    await deps.notifications.settle(
      notificationId,
      channel,
      {
        status: 'SENT',
        updatedAt: deps.now().toISOString(),
        attempts,
        ...(result.providerId ? { providerId: result.providerId } : {}),
      },
      notification.campaignId,
    );
    deps.metrics.count('Sent');
    return 'sent';
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const permanent = error instanceof PermanentSendError;
    if (permanent)
      for (const deviceId of error.disabledDevices) await deps.devices.remove(message.userId, deviceId);
    const last = permanent || receipt.receiveCount >= deps.maxReceives;
    const delivery: Delivery = {
      status: last ? 'FAILED' : 'QUEUED',
      reason: reason.slice(0, 500),
      updatedAt: deps.now().toISOString(),
      attempts,
      ...(last && !permanent ? { redrivable: true } : {}),
    };
    await deps.notifications.settle(notificationId, channel, delivery);
    deps.metrics.count(last ? 'Failed' : 'Retried');
    deps.logger.warn('Send failed', { notificationId, channel, attempts, last, reason });
    if (permanent) return 'failed';
    // The message comes back after its back-off, or, at the last receive, goes on to the channel's DLQ.
    if (last) await deps.backoff.dueNow(receipt.receiptHandle, receipt.eventSourceArn);
    else await deps.backoff.retryLater(receipt.receiptHandle, receipt.eventSourceArn, receipt.receiveCount);
    throw error;
  }
}
