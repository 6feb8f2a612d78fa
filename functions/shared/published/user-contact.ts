/**
 * Published part of the identity service's `Users` profile item (ADR 9): written only by identity, read by
 * the notifications service to reach a user — `email`, `phone` (E.164) and `locale` (user-locales.ts, set
 * at registration or by PATCH /v1/me; absent on profiles written before identity stored it = `en`).
 * Table `Users`, key `{userId}` (the Cognito sub).
 */
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { USER_LOCALES, type UserLocale } from './user-locales';

export interface UserContact {
  readonly email?: string;
  readonly phone?: string;
  readonly locale?: UserLocale;
}

export const userKey = (userId: string) => ({ userId });

/** The attributes a reader of contact details needs (a ProjectionExpression). */
export const USER_CONTACT_ATTRIBUTES = ['email', 'phone', 'locale'] as const;

export function userContactFromItem(item: Record<string, unknown>): UserContact {
  const text = (key: string) =>
    typeof item[key] === 'string' && item[key] !== '' ? (item[key] as string) : undefined;
  const email = text('email');
  const phone = text('phone');
  const locale = text('locale');
  return {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...((USER_LOCALES as readonly string[]).includes(locale ?? '') ? { locale: locale as UserLocale } : {}),
  };
}

export async function readUserContact(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<UserContact | undefined> {
  const names = Object.fromEntries(USER_CONTACT_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: userKey(userId),
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
    }),
  );
  return Item && userContactFromItem(Item);
}

/** One page of every user id (keys only), after `startKey`: what a campaign to everyone walks. */
export async function readUserIdPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  startKey: string | undefined,
  limit: number,
): Promise<{ userIds: string[]; next?: string }> {
  const out = await client.send(
    new ScanCommand({
      TableName: tableName,
      ProjectionExpression: 'userId',
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: userKey(startKey) } : {}),
    }),
  );
  return {
    userIds: (out.Items ?? []).map((i) => String(i.userId)),
    ...(out.LastEvaluatedKey ? { next: String(out.LastEvaluatedKey.userId) } : {}),
  };
}
