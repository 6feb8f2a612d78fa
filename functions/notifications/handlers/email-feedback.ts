import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { queueHandler } from '#shared/queue/consumer';
import { DynamoSettings } from '../adapters/dynamodb-settings';
import { recordEmailFeedback, sesEventSchema } from '../use-cases/email-feedback';

const { NOTIFICATION_SETTINGS_TABLE_NAME } = parseEnv({
  NOTIFICATION_SETTINGS_TABLE_NAME: z.string().check(z.minLength(1)),
});
const deps = {
  suppressions: new DynamoSettings(documentClient, NOTIFICATION_SETTINGS_TABLE_NAME),
  now: () => new Date(),
};

export const handler = queueHandler(sesEventSchema, async (event) => {
  await recordEmailFeedback(deps, event);
});
