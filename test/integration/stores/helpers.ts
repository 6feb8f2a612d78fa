/** Helpers shared by the stores, inventory and availability integration tests. */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { handler as createStore } from '../../../functions/stores/handlers/create-store';
import type { Role } from '../../../functions/shared/http/route';
import { testClients, testResources } from '../../support/engines';
import { invoke, type TestResponse } from '../../support/lambda';

export const admin = { userId: randomUUID(), roles: ['admin'] as Role[] };

const resources = testResources();
const users = DynamoDBDocumentClient.from(testClients(resources).dynamodb);

/**
 * A registered user with these roles: their profile in Users as identity writes it (staff assignment
 * checks the published `roles`), and the caller their token would make.
 */
export async function registeredUser(...roles: Role[]): Promise<{ userId: string; roles: Role[] }> {
  const userId = randomUUID();
  const at = new Date().toISOString();
  await users.send(
    new PutCommand({
      TableName: resources.tableNames.Users!,
      Item: {
        userId,
        username: userId,
        email: `${userId}@example.test`,
        name: 'Test',
        roles,
        createdAt: at,
        updatedAt: at,
      },
    }),
  );
  return { userId, roles };
}

export const ok = (res: TestResponse, status = 200) => {
  if (res.status !== status)
    throw new Error(`Expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

export const ROUND_THE_CLOCK = {
  timeZone: 'Asia/Kolkata',
  days: Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]]),
  ),
};

/**
 * A store somewhere nobody else's test puts one: a random spot in the Indian Ocean (every test's own
 * stores never overlap another test's).
 */
export function isolatedSpot(): { lat: number; lng: number } {
  return { lat: -30 + Math.random() * 25, lng: 60 + Math.random() * 30 };
}

export async function newStore(fields: Record<string, unknown> = {}) {
  return ok(
    await invoke(createStore, {
      method: 'POST',
      path: '/v1/admin/stores',
      as: admin,
      body: {
        name: `Store ${randomUUID().slice(0, 8)}`,
        location: isolatedSpot(),
        area: { type: 'radius', radiusMetres: 3000 },
        hours: ROUND_THE_CLOCK,
        prepMinutes: 4,
        merchantId: randomUUID(),
        ...fields,
      },
    }),
    201,
  );
}
