/**
 * Table `NotificationCampaigns` (pk `campaignId`): the campaign, its counts and the ids of the batches
 * counted (a string set: a redelivered batch is counted once). Also the page reader of everyone, over the
 * identity `Users` table's keys (published layout `user-contact.ts`).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readUserIdPage } from '#shared/published/user-contact';
import type { Campaign, CampaignStore } from '../use-cases/campaigns';

export class DynamoCampaignStore implements CampaignStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(campaign: Campaign): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...campaign, done: false },
        ConditionExpression: 'attribute_not_exists(campaignId)',
      }),
    );
  }

  async get(campaignId: string): Promise<Campaign | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { campaignId }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const counts = Item.counts as Campaign['counts'];
    const audience = Item.audience as Campaign['audience'];
    const done = Item.done === true || ('userIds' in audience && counts.requested >= counts.targeted);
    return {
      campaignId: String(Item.campaignId),
      title: String(Item.title),
      body: String(Item.body),
      audience,
      channels: Item.channels as Campaign['channels'],
      status: done ? 'DONE' : 'SENDING',
      counts,
      delivered: Object.fromEntries(
        (Item.channels as Campaign['channels']).map((c) => [
          c,
          Number((Item.delivered as Record<string, unknown> | undefined)?.[c] ?? 0),
        ]),
      ),
      createdAt: String(Item.createdAt),
      createdBy: String(Item.createdBy),
      ...(typeof Item.finishedAt === 'string' ? { finishedAt: Item.finishedAt } : {}),
    };
  }

  async countBatch(
    campaignId: string,
    batchId: string,
    counts: { targeted: number; requested: number },
    last: boolean,
    at: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { campaignId },
          UpdateExpression: `ADD counts.targeted :t, counts.requested :r, counts.batches :one, batchIds :b${last ? ' SET done = :true, finishedAt = :at' : ''}`,
          ConditionExpression: 'attribute_exists(campaignId) AND NOT contains(batchIds, :id)',
          ExpressionAttributeValues: {
            ':t': counts.targeted,
            ':r': counts.requested,
            ':one': 1,
            ':b': new Set([batchId]),
            ':id': batchId,
            ...(last ? { ':true': true, ':at': at } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** Pages of every user id, through the identity service's published layout. */
export const dynamoUserPages = (client: DynamoDBDocumentClient, table: string) => ({
  page: (startKey: string | undefined, limit: number) => readUserIdPage(client, table, startKey, limit),
});
