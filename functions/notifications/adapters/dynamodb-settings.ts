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
import type { DeviceStore, PreferencesStore, SuppressionList, UserSettingsReader } from '../ports';

const userPk = (userId: string) => `USER#${userId}`;
const emailPk = (email: string) => `EMAIL#${email.trim().toLowerCase()}`;

const toPreferences = (item: Record<string, unknown>): Preferences => ({
  channels: item.channels as Preferences['channels'],
  promotional: item.promotional === true,
  quietHours: (item.quietHours ?? null) as Preferences['quietHours'],
  locale: item.locale as Preferences['locale'],
});

const toDevice = (i: Record<string, unknown>): Device => ({
  deviceId: String(i.deviceId),
  platform: i.platform as Device['platform'],
  endpoint: String(i.endpoint),
  createdAt: String(i.createdAt),
});

export class DynamoSettings implements PreferencesStore, DeviceStore, SuppressionList, UserSettingsReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(userId: string): Promise<Preferences | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { pk: userPk(userId), sk: 'PREFERENCES' } }),
    );
    return Item && toPreferences(Item);
  }

  /** The dispatcher's read: the preferences item and the device items share the user's partition. */
  async read(userId: string): Promise<{ preferences?: Preferences; devices: readonly Device[] }> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': userPk(userId) },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const prefs = items.find((i) => i.sk === 'PREFERENCES');
    return {
      ...(prefs ? { preferences: toPreferences(prefs) } : {}),
      devices: items.filter((i) => String(i.sk).startsWith('DEVICE#')).map(toDevice),
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
    return (out.Items ?? []).map(toDevice);
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
