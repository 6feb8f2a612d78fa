import { httpHandler } from '#shared/http/handler';
import { adminGetNotificationRoute } from '../admin-contracts';
import { getNotification, notificationView } from '../use-cases/admin';
import { adminDeps } from '../wiring';

const deps = adminDeps();

export const handler = httpHandler(adminGetNotificationRoute, async ({ path }) =>
  notificationView(await getNotification(deps, path.notificationId)),
);
