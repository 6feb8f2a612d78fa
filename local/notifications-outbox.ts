/**
 * `GET /local/outbox?channel=&userId=` (local platform only, never a deployed stage): what the local
 * push, email and WhatsApp adapters "sent" — the NotificationOutbox table, oldest first. Both filters are
 * optional; `limit` caps the answer (default 100, at most 1000).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readOutbox } from '../functions/notifications/adapters/outbox';
import type { PlatformRoute } from './gateway/server';

const CHANNELS = ['push', 'email', 'whatsapp'];

export function outboxRoute(dynamodb: DynamoDBClient, table: string): PlatformRoute {
  const documents = DynamoDBDocumentClient.from(dynamodb);
  return {
    path: '/local/outbox',
    async handle(query) {
      const channel = query.get('channel') ?? undefined;
      const userId = query.get('userId') ?? undefined;
      const limitText = query.get('limit') ?? '100';
      const problems: string[] = [];
      if (channel !== undefined && !CHANNELS.includes(channel))
        problems.push(`channel must be one of ${CHANNELS.join(', ')}`);
      if (userId !== undefined && !/^[A-Za-z0-9-]{1,128}$/.test(userId))
        problems.push('userId is not a user id');
      if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000)
        problems.push('limit must be a whole number from 1 to 1000');
      if (problems.length > 0)
        return {
          status: 400,
          body: { type: 'about:blank', title: 'Invalid request', status: 400, detail: problems.join('; ') },
        };
      const items = await readOutbox(documents, table, { channel, userId, limit: Number(limitText) });
      return { status: 200, body: { items } };
    },
  };
}
