import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { requestNotifications } from '#shared/published/notification-request';
import { orderEventSchema } from '#shared/published/order-event';
import { queueHandler } from '#shared/queue/consumer';
import { relayOrderEvent } from '../use-cases/order-events';

const { NOTIFICATION_REQUESTS_QUEUE_URL } = parseEnv({
  NOTIFICATION_REQUESTS_QUEUE_URL: z.string().check(z.minLength(1)),
});
const deps = {
  request: (requests: Parameters<typeof requestNotifications>[1]) =>
    requestNotifications(NOTIFICATION_REQUESTS_QUEUE_URL, requests),
};

export const handler = queueHandler(orderEventSchema(), async (event) => {
  await relayOrderEvent(deps, event);
});
