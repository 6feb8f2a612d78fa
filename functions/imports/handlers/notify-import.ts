/** InventoryImport Task: enqueues the merchant's notification of the outcome (NotificationRequests). */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { logger } from '#shared/powertools';
import { requestNotifications } from '#shared/published/notification-request';
import { notifyTaskSchema } from '../machine';
import { notifyMerchant } from '../use-cases/notify';

const env = parseEnv({ NOTIFICATION_REQUESTS_QUEUE_URL: z.string().check(z.minLength(1)) });
const deps = {
  notify: (requests: Parameters<typeof requestNotifications>[1]) =>
    requestNotifications(env.NOTIFICATION_REQUESTS_QUEUE_URL, requests),
  now: () => new Date().toISOString(),
};

export const handler = middy(async (event: unknown) =>
  notifyMerchant(deps, notifyTaskSchema.parse(event)),
).use(injectLambdaContext(logger, { resetKeys: true }));
