import { httpHandler } from '#shared/http/handler';
import { listNotificationsRoute } from '../contracts';
import { listInbox } from '../use-cases/inbox';
import { inboxDeps } from '../wiring';

const deps = inboxDeps();

export const handler = httpHandler(listNotificationsRoute, async ({ caller, query }) => {
  const page = await listInbox(deps, caller, query);
  return {
    items: page.items.map(({ userId: _user, ...item }) => item),
    unreadCount: page.unreadCount,
    nextCursor: page.nextCursor,
  };
});
