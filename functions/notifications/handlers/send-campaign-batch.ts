import * as z from 'zod/mini';
import { queueHandler } from '#shared/queue/consumer';
import { sendCampaignBatch } from '../use-cases/campaigns';
import { campaignDeps } from '../wiring';

const deps = campaignDeps();

const batchSchema = z.union([
  z.strictObject({
    campaignId: z.string().check(z.minLength(1), z.maxLength(64)),
    batchId: z.string().check(z.minLength(1), z.maxLength(600)),
    userIds: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.maxLength(100)),
  }),
  z.strictObject({
    campaignId: z.string().check(z.minLength(1), z.maxLength(64)),
    batchId: z.string().check(z.minLength(1), z.maxLength(600)),
    all: z.literal(true),
    startKey: z.optional(z.string().check(z.maxLength(128))),
  }),
]);

export const handler = queueHandler(batchSchema, async (batch) => {
  await sendCampaignBatch(deps, batch);
});
