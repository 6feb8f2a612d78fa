/**
 * Table `NotificationSettings` (pk, sk), single table: a user's preferences (`USER#<id>`, `PREFERENCES`)
 * and devices (`USER#<id>`, `DEVICE#<deviceId>`), and suppressed email addresses (`EMAIL#<address>`,
 * `SUPPRESSION`) from SES bounces and complaints.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Device, Preferences } from '../domain';
import type { DeviceStore, PreferencesStore, SuppressionList } from '../ports';

const userPk = (userId: string) => `USER#${userId}`;
const emailPk = (email: string) => `EMAIL#${email.trim().toLowerCase()}`;

export class DynamoSettings implements PreferencesStore, DeviceStore, SuppressionList {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(userId: string): Promise<Preferences | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: userPk(userId), sk: 'PREFERENCES' } }),
    );
    if (!Item) return undefined;
    return {
      channels: Item.channels as Preferences['channels'],
      promotional: Item.promotional === true,
      quietHours: (Item.quietHours ?? null) as Preferences['quietHours'],
      locale: Item.locale as Preferences['locale'],
    };
  }

  async put(userId: string, preferences: Preferences): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: userPk(userId), sk: 'PREFERENCES', ...preferences },
      }),
    );
  }

  async list(userId: string): Promise<readonly Device[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :device)',
        ExpressionAttributeValues: { ':pk': userPk(userId), ':device': 'DEVICE#' },
      }),
    );
    return (out.Items ?? []).map((i) => ({
      deviceId: String(i.deviceId),
      platform: i.platform as Device['platform'],
      endpoint: String(i.endpoint),
      createdAt: String(i.createdAt),
    }));
  }

  async add(userId: string, device: Device): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: userPk(userId), sk: `DEVICE#${device.deviceId}`, ...device },
      }),
    );
  }

  async remove(userId: string, deviceId: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: userPk(userId), sk: `DEVICE#${deviceId}` },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async isSuppressed(email: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: emailPk(email), sk: 'SUPPRESSION' } }),
    );
    return Item !== undefined;
  }

  async suppress(email: string, reason: string, at: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: emailPk(email), sk: 'SUPPRESSION', reason, at },
      }),
    );
  }
}
