/** The ProfileRepository port over the Users table (one item per user, keyed by `userId` = Cognito sub). */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Role } from '#shared/http/route';
import { canonicalRoles, type Profile } from '../domain/profile';
import type { ProfileChanges, ProfileRepository } from '../ports';

export function dynamoDbProfileRepository(
  client: DynamoDBDocumentClient,
  tableName: string,
): ProfileRepository {
  return {
    async get(userId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true }),
      );
      return out.Item ? toProfile(out.Item) : undefined;
    },

    async create(profile) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(profile),
            ConditionExpression: 'attribute_not_exists(userId)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async update(userId, changes: ProfileChanges, updatedAt) {
      const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':updatedAt': updatedAt };
      const set = ['#updatedAt = :updatedAt'];
      const remove: string[] = [];
      if (changes.name !== undefined) {
        names['#name'] = 'name';
        values[':name'] = changes.name;
        set.push('#name = :name');
      }
      if (changes.phone !== undefined) {
        names['#phone'] = 'phone';
        if (changes.phone === null) remove.push('#phone');
        else {
          values[':phone'] = changes.phone;
          set.push('#phone = :phone');
        }
      }
      if (changes.locale !== undefined) {
        names['#locale'] = 'locale';
        values[':locale'] = changes.locale;
        set.push('#locale = :locale');
      }
      const expression = `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`;
      return conditionalUpdate(client, {
        TableName: tableName,
        Key: { userId },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
    },

    async setRoles(userId, roles: readonly Role[], updatedAt) {
      return conditionalUpdate(client, {
        TableName: tableName,
        Key: { userId },
        UpdateExpression: 'SET #roles = :roles, #updatedAt = :updatedAt',
        ExpressionAttributeNames: { '#roles': 'roles', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':roles': canonicalRoles(roles), ':updatedAt': updatedAt },
      });
    },
  };
}

type UpdateInput = Omit<
  ConstructorParameters<typeof UpdateCommand>[0],
  'ConditionExpression' | 'ReturnValues'
>;

/** An update of an item that must exist; undefined when it does not. */
async function conditionalUpdate(
  client: DynamoDBDocumentClient,
  input: UpdateInput,
): Promise<Profile | undefined> {
  try {
    const out = await client.send(
      new UpdateCommand({
        ...input,
        ConditionExpression: 'attribute_exists(userId)',
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? toProfile(out.Attributes) : undefined;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

function toItem(p: Profile): Record<string, unknown> {
  return {
    userId: p.userId,
    username: p.username,
    email: p.email,
    name: p.name,
    ...(p.phone ? { phone: p.phone } : {}),
    ...(p.locale ? { locale: p.locale } : {}),
    roles: canonicalRoles(p.roles),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

function toProfile(item: Record<string, unknown>): Profile {
  const text = (key: string): string => (typeof item[key] === 'string' ? (item[key] as string) : '');
  const roles = Array.isArray(item.roles) ? item.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    userId: text('userId'),
    username: text('username') || text('userId'),
    email: text('email'),
    name: text('name'),
    ...(typeof item.phone === 'string' ? { phone: item.phone } : {}),
    ...(item.locale === 'en' || item.locale === 'hi' ? { locale: item.locale } : {}),
    roles: canonicalRoles(roles),
    createdAt: text('createdAt'),
    updatedAt: text('updatedAt'),
  };
}
