import { httpHandler } from '#shared/http/handler';
import { adminListUserNotificationsRoute } from '../admin-contracts';
import { listUserNotifications, notificationView } from '../use-cases/admin';
import { adminDeps } from '../wiring';

const deps = adminDeps();

export const handler = httpHandler(adminListUserNotificationsRoute, async ({ path, query }) => {
  const page = await listUserNotifications(deps, path.userId, query);
  return { items: page.items.map(notificationView), nextCursor: page.nextCursor };
});
