/** The caller's in-app notifications: list (newest first, optionally unread only), mark read. */
import type { Caller } from '#shared/http/identity';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import * as z from 'zod/mini';
import { notificationErrors, type InboxItem } from '../domain';
import type { InboxDeps } from '../ports';
import { once } from '#shared/once';

const cursorKey = once(() => z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) }));

export async function listInbox(
  deps: InboxDeps,
  caller: Caller,
  query: { limit: number; cursor?: string; unread?: boolean },
): Promise<{ items: readonly InboxItem[]; unreadCount: number; nextCursor: string | null }> {
  const unread = query.unread ?? false;
  // The cursor is scoped to the caller and to the filter: it cannot page someone else's inbox.
  const scope = `inbox:${caller.userId}:${unread ? 'unread' : 'all'}`;
  const after = decodeCursor(query.cursor, scope, cursorKey)?.id;
  const [page, unreadCount] = await Promise.all([
    deps.inbox.list(caller.userId, { limit: query.limit, unread, after }),
    deps.inbox.unreadCount(caller.userId),
  ]);
  return {
    items: page.items,
    unreadCount,
    nextCursor: page.next ? encodeCursor({ id: page.next }, scope) : null,
  };
}

export async function markRead(deps: InboxDeps, caller: Caller, notificationId: string): Promise<void> {
  if (!(await deps.inbox.markRead(caller.userId, notificationId, deps.now().toISOString())))
    throw notificationErrors.notFound(notificationId);
}

export async function markAllRead(deps: InboxDeps, caller: Caller): Promise<{ marked: number }> {
  return { marked: await deps.inbox.markAllRead(caller.userId, deps.now().toISOString()) };
}
