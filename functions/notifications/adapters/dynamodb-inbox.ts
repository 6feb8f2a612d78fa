/**
 * Table `NotificationInbox` (pk `userId`, sk `notificationId`, TTL `expiresAt` = 90 days): the in-app
 * channel. `unreadBy` (= userId) exists only while an item is unread, so the sparse index `unread` holds
 * exactly the unread items: the unread count and the `unread=true` listing never read read items.
 */
import { PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { INBOX_TTL_DAYS, type InboxItem } from '../domain';
import type { Inbox, Page } from '../ports';

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const fromItem = (item: Record<string, unknown>): InboxItem => ({
  notificationId: String(item.notificationId),
  userId: String(item.userId),
  eventType: String(item.eventType),
  title: String(item.title),
  body: String(item.body),
  data: (item.data ?? {}) as InboxItem['data'],
  createdAt: String(item.createdAt),
  readAt: typeof item.readAt === 'string' ? item.readAt : null,
});

export class DynamoInbox implements Inbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(item: InboxItem): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...item,
            readAt: undefined,
            unreadBy: item.userId,
            expiresAt: Math.floor(Date.parse(item.createdAt) / 1000) + INBOX_TTL_DAYS * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(notificationId)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async list(
    userId: string,
    opts: { limit: number; unread: boolean; after?: string },
  ): Promise<Page<InboxItem>> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        ...(opts.unread
          ? { IndexName: 'unread', KeyConditionExpression: 'unreadBy = :u' }
          : { KeyConditionExpression: 'userId = :u' }),
        ExpressionAttributeValues: { ':u': userId },
        ScanIndexForward: false,
        Limit: opts.limit,
        ...(opts.after
          ? {
              ExclusiveStartKey: opts.unread
                ? { unreadBy: userId, userId, notificationId: opts.after }
                : { userId, notificationId: opts.after },
            }
          : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map(fromItem),
      ...(out.LastEvaluatedKey ? { next: String(out.LastEvaluatedKey.notificationId) } : {}),
    };
  }

  async unreadCount(userId: string): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'unread',
          KeyConditionExpression: 'unreadBy = :u',
          ExpressionAttributeValues: { ':u': userId },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async markRead(userId: string, notificationId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { userId, notificationId },
          UpdateExpression: 'SET readAt = if_not_exists(readAt, :at) REMOVE unreadBy',
          ConditionExpression: 'attribute_exists(notificationId)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markAllRead(userId: string, at: string): Promise<number> {
    let marked = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'unread',
          KeyConditionExpression: 'unreadBy = :u',
          ExpressionAttributeValues: { ':u': userId },
          ProjectionExpression: 'notificationId',
          ExclusiveStartKey: start,
        }),
      );
      const ids = (out.Items ?? []).map((i) => String(i.notificationId));
      for (let i = 0; i < ids.length; i += 16) {
        const done = await Promise.all(ids.slice(i, i + 16).map((id) => this.markRead(userId, id, at)));
        marked += done.filter(Boolean).length;
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return marked;
  }
}
