/**
 * Published part of the identity service's `Users` profile item (ADR 9): `roles`, which identity writes at
 * registration and on every change of the user's Cognito groups (PUT /v1/admin/users/{userId}/roles), so
 * it is what the user's next token will carry. Read by the stores service before it assigns a user to a
 * store. Table `Users`, key `{userId}` (the Cognito sub); identity alone writes it.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userKey } from './user-contact';

/** The user's roles, or `undefined` when no such user exists. */
export async function readUserRoles(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<readonly string[] | undefined> {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: userKey(userId),
      ProjectionExpression: '#roles',
      ExpressionAttributeNames: { '#roles': 'roles' },
    }),
  );
  if (!Item) return undefined;
  const roles: unknown[] = Array.isArray(Item.roles) ? Item.roles : [];
  return roles.filter((role): role is string => typeof role === 'string');
}
