/**
 * Table `Notifications` (pk `notificationId`): the notification with its rendered content and a
 * `deliveries` map (channel → status, reason, attempts, claim). `byUser` (userId, notificationId) lists a
 * user's notifications newest first for admins; `byDue` (sparse: `dueShard`, `dueAtMs`, only while a
 * delivery is deferred) is what the release schedule queries.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Delivery, Notification, NotificationChannel } from '../domain';
import type { Claim, NotificationStore, Page } from '../ports';

export const DUE_SHARD = 'DUE';

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

type StoredDelivery = Delivery & { readonly claimUntil?: number; readonly dueAtMs?: number };

function toItem(n: Notification, dueAtMs: number | undefined): Record<string, unknown> {
  const deliveries: Record<string, StoredDelivery> = {};
  for (const [channel, d] of Object.entries(n.deliveries))
    deliveries[channel] = d.dueAt ? { ...d, dueAtMs: Date.parse(d.dueAt) } : d;
  return {
    ...n,
    deliveries,
    ...(dueAtMs !== undefined ? { dueShard: DUE_SHARD, dueAtMs } : {}),
  };
}

function fromItem(item: Record<string, unknown>): Notification {
  const deliveries: Record<string, Delivery> = {};
  for (const [channel, raw] of Object.entries((item.deliveries ?? {}) as Record<string, StoredDelivery>)) {
    // The claim and the numeric due time are the store's own.
    const { claimUntil: _claim, dueAtMs: _due, ...delivery } = raw;
    deliveries[channel] = delivery;
  }
  return {
    notificationId: String(item.notificationId),
    userId: String(item.userId),
    eventType: String(item.eventType),
    priority: item.priority as Notification['priority'],
    idempotencyKey: String(item.idempotencyKey),
    locale: item.locale as Notification['locale'],
    content: item.content as Notification['content'],
    data: (item.data ?? {}) as Notification['data'],
    occurredAt: String(item.occurredAt),
    createdAt: String(item.createdAt),
    deliveries,
    ...(typeof item.campaignId === 'string' ? { campaignId: item.campaignId } : {}),
    ...(item.to && typeof item.to === 'object' ? { to: item.to as Notification['to'] } : {}),
  };
}

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    /** NotificationCampaigns, for the channel workers: a campaign's SENT deliveries are counted there. */
    private readonly campaignsTable?: string,
  ) {}

  async create(notification: Notification, dueAtMs: number | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: toItem(notification, dueAtMs),
          ConditionExpression: 'attribute_not_exists(notificationId)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(notificationId: string): Promise<Notification | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { notificationId }, ConsistentRead: true }),
    );
    return Item && fromItem(Item);
  }

  async listByUser(userId: string, limit: number, after?: string): Promise<Page<Notification>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :u',
        ExpressionAttributeValues: { ':u': userId },
        ScanIndexForward: false,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { userId, notificationId: after } } : {}),
      }),
    );
    const items = (out.Items ?? []).map(fromItem);
    return {
      items,
      ...(out.LastEvaluatedKey ? { next: String(out.LastEvaluatedKey.notificationId) } : {}),
    };
  }

  async claim(
    notificationId: string,
    channel: NotificationChannel,
    nowMs: number,
    leaseUntilMs: number,
    reclaim: boolean,
  ): Promise<Claim> {
    const free = 'attribute_not_exists(#d.#c.claimUntil)';
    const claimable = [
      `(#d.#c.#s = :queued AND ${free})`,
      `(#d.#c.#s = :deferred AND #d.#c.dueAtMs <= :now AND ${free})`,
      `(#d.#c.#s = :failed AND #d.#c.redrivable = :true)`,
      ...(reclaim ? ['(#d.#c.#s IN (:queued, :deferred) AND #d.#c.claimUntil < :now)'] : []),
    ];
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { notificationId },
          UpdateExpression: 'SET #d.#c.claimUntil = :lease',
          ConditionExpression: claimable.join(' OR '),
          ExpressionAttributeNames: { '#d': 'deliveries', '#c': channel, '#s': 'status' },
          ExpressionAttributeValues: {
            ':lease': leaseUntilMs,
            ':queued': 'QUEUED',
            ':deferred': 'DEFERRED',
            ':failed': 'FAILED',
            ':true': true,
            ':now': nowMs,
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      if (!Attributes) throw new Error(`Claim of ${notificationId} returned no item`);
      return { outcome: 'claimed', notification: fromItem(Attributes) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = (error as { Item?: Record<string, unknown> }).Item;
      const delivery = old ? unmarshallDelivery(old, channel) : undefined;
      if (!delivery) return { outcome: 'done' };
      if (
        delivery.claimUntil !== undefined &&
        (delivery.status === 'QUEUED' || delivery.status === 'DEFERRED')
      )
        return { outcome: delivery.claimUntil < nowMs ? 'lapsed' : 'busy' };
      if (delivery.status === 'DEFERRED') return { outcome: 'early' };
      return { outcome: 'done' };
    }
  }

  async settle(
    notificationId: string,
    channel: NotificationChannel,
    delivery: Delivery,
    campaignId?: string,
  ): Promise<void> {
    if (delivery.status === 'SENT' && campaignId)
      return this.settleCampaignSend(notificationId, channel, delivery, campaignId);
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { notificationId },
        UpdateExpression: 'SET #d.#c = :delivery',
        ExpressionAttributeNames: { '#d': 'deliveries', '#c': channel },
        ExpressionAttributeValues: { ':delivery': delivery },
      }),
    );
  }

  /**
   * SENT and the campaign's count for the channel in one transaction, only if the delivery was not SENT
   * already: a second send of the same delivery (a lapsed claim retaken by an idempotent adapter) counts
   * nothing, and a crash cannot leave one without the other.
   */
  private async settleCampaignSend(
    notificationId: string,
    channel: NotificationChannel,
    delivery: Delivery,
    campaignId: string,
  ): Promise<void> {
    if (!this.campaignsTable)
      throw new Error('A campaign notification is settled without the campaigns table');
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { notificationId },
                UpdateExpression: 'SET #d.#c = :delivery',
                ConditionExpression: '#d.#c.#s <> :sent',
                ExpressionAttributeNames: { '#d': 'deliveries', '#c': channel, '#s': 'status' },
                ExpressionAttributeValues: { ':delivery': delivery, ':sent': 'SENT' },
              },
            },
            {
              Update: {
                TableName: this.campaignsTable,
                Key: { campaignId },
                // `delivered` is written with every channel at 0 when the campaign is created.
                UpdateExpression: 'ADD delivered.#c :one',
                ExpressionAttributeNames: { '#c': channel },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      // Already SENT (and counted): nothing to do.
      if (
        error instanceof Error &&
        error.name === 'TransactionCanceledException' &&
        reasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return;
      throw error;
    }
  }

  async due(nowMs: number, limit: number): Promise<readonly Notification[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byDue',
        KeyConditionExpression: 'dueShard = :shard AND dueAtMs <= :now',
        ExpressionAttributeValues: { ':shard': DUE_SHARD, ':now': nowMs },
        Limit: limit,
      }),
    );
    // The index lags and projects everything; the item itself is read again to act on what is current.
    const found = await Promise.all((out.Items ?? []).map((i) => this.get(String(i.notificationId))));
    return found.filter((n): n is Notification => n !== undefined);
  }

  async release(notificationId: string, channels: readonly NotificationChannel[], at: string): Promise<void> {
    for (const channel of channels) {
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { notificationId },
            UpdateExpression:
              'SET #d.#c.#s = :queued, #d.#c.updatedAt = :at REMOVE #d.#c.dueAt, #d.#c.dueAtMs, #d.#c.reason',
            ConditionExpression: '#d.#c.#s = :deferred',
            ExpressionAttributeNames: { '#d': 'deliveries', '#c': channel, '#s': 'status' },
            ExpressionAttributeValues: { ':queued': 'QUEUED', ':deferred': 'DEFERRED', ':at': at },
          }),
        );
      } catch (error) {
        // A worker settled it first (the message was sent before this update).
        if (!isConditionFailure(error)) throw error;
      }
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { notificationId },
        UpdateExpression: 'REMOVE dueShard, dueAtMs',
      }),
    );
  }
}

/** The delivery of one channel in an item that came back marshalled (a condition failure's ALL_OLD). */
function unmarshallDelivery(item: Record<string, unknown>, channel: string): StoredDelivery | undefined {
  const deliveries = item.deliveries as
    | { M?: Record<string, { M?: Record<string, Record<string, string>> }> }
    | Record<string, unknown>
    | undefined;
  // The document client leaves ConditionalCheckFailed's Item in the low-level shape.
  const low = (deliveries as { M?: Record<string, { M?: Record<string, Record<string, string>> }> })?.M?.[
    channel
  ]?.M;
  if (low) {
    const claim = low.claimUntil?.N;
    return {
      status: (low.status?.S ?? 'QUEUED') as Delivery['status'],
      updatedAt: low.updatedAt?.S ?? '',
      attempts: Number(low.attempts?.N ?? 0),
      ...(claim !== undefined ? { claimUntil: Number(claim) } : {}),
    };
  }
  const plain = (deliveries as Record<string, StoredDelivery> | undefined)?.[channel];
  return plain;
}
