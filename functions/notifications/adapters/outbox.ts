/**
 * Push, email and WhatsApp locally and in dev: instead of a provider, the message is written to the table
 * `NotificationOutbox` (pk `userId`, sk `<notificationId>#<channel>`, kept 30 days), which a person reads
 * (locally `GET /local/outbox?channel=&userId=`). One row per notification and channel, so a second send
 * has no second effect. `failChannels` (ZEPTO_FAIL_CHANNELS, local only) makes those channels fail every
 * send, to watch the others keep working.
 */
import { PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationChannel } from '../domain';
import type { ChannelAdapter, SendTarget } from '../ports';

const KEEP_DAYS = 30;

export class ChannelUnavailableError extends Error {
  constructor(channel: NotificationChannel) {
    super(`The local ${channel} adapter fails every send (ZEPTO_FAIL_CHANNELS)`);
    this.name = 'ChannelUnavailableError';
  }
}

export interface OutboxEntry {
  readonly userId: string;
  readonly notificationId: string;
  readonly channel: NotificationChannel;
  /** Email address, phone number or device endpoints. */
  readonly to: string;
  readonly title: string;
  readonly body: string;
  readonly whatsappTemplate?: string;
  readonly sentAt: string;
}

function addressOf(channel: NotificationChannel, target: SendTarget): string {
  if (channel === 'email') return target.contact.email ?? '';
  if (channel === 'whatsapp') return target.contact.phone ?? '';
  return target.devices.map((d) => d.endpoint).join(',');
}

export function outboxAdapter(
  client: DynamoDBDocumentClient,
  table: string,
  channel: NotificationChannel,
  opts: { failChannels: readonly string[]; now: () => Date },
): ChannelAdapter {
  return {
    channel,
    idempotent: true,
    async send(target) {
      if (opts.failChannels.includes(channel)) throw new ChannelUnavailableError(channel);
      const n = target.notification;
      const sentAt = opts.now().toISOString();
      await client
        .send(
          new PutCommand({
            TableName: table,
            Item: {
              userId: n.userId,
              sk: `${n.notificationId}#${channel}`,
              notificationId: n.notificationId,
              channel,
              to: addressOf(channel, target),
              title: n.content.title,
              body: n.content.body,
              ...(channel === 'whatsapp' && n.content.whatsapp
                ? {
                    whatsappTemplate: n.content.whatsapp.template,
                    whatsappParameters: n.content.whatsapp.parameters,
                  }
                : {}),
              sentAt,
              expiresAt: Math.floor(Date.parse(sentAt) / 1000) + KEEP_DAYS * 86_400,
            },
            // The first send stays (the row's key is the notification and channel).
            ConditionExpression: 'attribute_not_exists(sk)',
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
        });
      return { providerId: `outbox:${n.notificationId}#${channel}` };
    },
  };
}

/** Reads the outbox, oldest first (a person's view; never a deployed stage's API). */
export async function readOutbox(
  client: DynamoDBDocumentClient,
  table: string,
  filter: { userId?: string; channel?: string; limit?: number },
): Promise<OutboxEntry[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = filter.userId
      ? await client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'userId = :u',
            ExpressionAttributeValues: { ':u': filter.userId },
            ExclusiveStartKey: start,
          }),
        )
      : await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length < (filter.limit ?? 1000));
  return items
    .filter((i) => !filter.channel || i.channel === filter.channel)
    .map((i) => ({
      userId: String(i.userId),
      notificationId: String(i.notificationId),
      channel: i.channel as NotificationChannel,
      to: String(i.to),
      title: String(i.title),
      body: String(i.body),
      ...(typeof i.whatsappTemplate === 'string' ? { whatsappTemplate: i.whatsappTemplate } : {}),
      sentAt: String(i.sentAt),
    }))
    .sort((a, b) => (a.notificationId < b.notificationId ? -1 : a.notificationId > b.notificationId ? 1 : 0))
    .slice(0, filter.limit ?? 1000);
}
