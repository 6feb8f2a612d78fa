/**
 * The channel queues (one per channel) and the back-off of a failed send: the message's visibility timeout
 * grows with its receives (full jitter, 2^n seconds up to 15 minutes), so a provider outage is not hammered.
 */
import { ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '#shared/aws/sqs';
import { sendMessages } from '#shared/queue/send';
import type { ChannelMessage, NotificationChannel } from '../domain';
import type { Backoff, ChannelQueues, Logger } from '../ports';

export const sqsChannelQueues = (urls: Readonly<Record<NotificationChannel, string>>): ChannelQueues => ({
  async send(messages: readonly ChannelMessage[]) {
    const byChannel = new Map<NotificationChannel, ChannelMessage[]>();
    for (const m of messages) byChannel.set(m.channel, [...(byChannel.get(m.channel) ?? []), m]);
    await Promise.all(
      [...byChannel].map(([channel, batch]) =>
        sendMessages(
          urls[channel],
          batch.map((body) => ({ body })),
        ),
      ),
    );
  },
});

/** The queue URL of an SQS ARN (the client sends to its configured endpoint; the URL names the queue). */
export function queueUrlOf(arn: string): string {
  const [, partition, , region, account, name] = arn.split(':');
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

export const backoffSeconds = (receiveCount: number, random: () => number = Math.random): number =>
  Math.max(1, Math.round(random() * Math.min(900, 2 ** Math.min(receiveCount, 10))));

export const sqsBackoff = (logger: Logger): Backoff => {
  const visibleIn = async (receiptHandle: string, eventSourceArn: string, seconds: number) => {
    try {
      await sqsClient.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrlOf(eventSourceArn),
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      // The queue's own visibility timeout applies instead.
      logger.warn('Back-off not applied', { error: String(error) });
    }
  };
  return {
    retryLater: (receiptHandle, eventSourceArn, attempt) =>
      visibleIn(receiptHandle, eventSourceArn, backoffSeconds(attempt)),
    dueNow: (receiptHandle, eventSourceArn) => visibleIn(receiptHandle, eventSourceArn, 0),
  };
};
