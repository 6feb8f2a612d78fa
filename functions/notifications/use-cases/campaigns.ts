/**
 * Campaigns (admin): one promotional notification to a segment — a list of users or everyone — sent in
 * batches. Creating one writes the campaign and enqueues its batches (up to 100 users each; for everyone,
 * one page of the Users table at a time, each batch enqueuing the next page); a batch worker turns its users
 * into promotional requests (their preferences, opt-outs and quiet hours apply in the dispatcher) and counts
 * them once per batch, so a redelivered batch neither sends nor counts twice. The channel workers count what
 * was delivered per channel (ports.ts NotificationStore.settle with the campaign).
 */
import type { NotificationRequest } from '#shared/published/notification-request';
import { notificationErrors } from '../domain';

export const CAMPAIGN_BATCH_SIZE = 100;
/** The event type of a campaign's requests (its data carries the campaign id). */
export const CAMPAIGN_EVENT = 'campaign.promotion';
export type CampaignChannel = 'in_app' | 'push' | 'email' | 'whatsapp';

export interface Campaign {
  readonly campaignId: string;
  readonly title: string;
  readonly body: string;
  readonly audience: { readonly userIds: readonly string[] } | { readonly all: true };
  readonly channels: readonly CampaignChannel[];
  readonly status: 'SENDING' | 'DONE';
  /** Users targeted so far (for `all`, known once the last page is read) and requests enqueued. */
  readonly counts: { readonly targeted: number; readonly requested: number; readonly batches: number };
  /**
   * Per campaign channel, its notifications SENT on that channel: counted by the channel workers in the
   * same transaction that records the delivery SENT, so a redelivered message never counts twice.
   */
  readonly delivered: Readonly<Partial<Record<CampaignChannel, number>>>;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly finishedAt?: string;
}

/** One batch on the campaign queue: a slice of the list, or one page of everyone. */
export type CampaignBatch =
  | { readonly campaignId: string; readonly batchId: string; readonly userIds: readonly string[] }
  | { readonly campaignId: string; readonly batchId: string; readonly all: true; readonly startKey?: string };

export interface CampaignStore {
  create(campaign: Campaign): Promise<void>;
  get(campaignId: string): Promise<Campaign | undefined>;
  /**
   * Counts a batch once (false: it was counted already); `last` marks the campaign DONE (everyone: the last
   * page was read). A list campaign reads DONE once every listed user is requested.
   */
  countBatch(
    campaignId: string,
    batchId: string,
    counts: { targeted: number; requested: number },
    last: boolean,
    at: string,
  ): Promise<boolean>;
}

export interface CampaignDeps {
  readonly campaigns: CampaignStore;
  readonly batches: { send(batches: readonly CampaignBatch[]): Promise<void> };
  readonly requests: { send(requests: readonly NotificationRequest[]): Promise<void> };
  /** One page of user ids of everyone (the Users table), after `startKey`. */
  readonly users: {
    page(startKey: string | undefined, limit: number): Promise<{ userIds: string[]; next?: string }>;
  };
  readonly now: () => Date;
  readonly newId: () => string;
}

export async function createCampaign(
  deps: CampaignDeps,
  adminId: string,
  input: Pick<Campaign, 'title' | 'body' | 'audience' | 'channels'>,
): Promise<Campaign> {
  const userIds = 'userIds' in input.audience ? [...new Set(input.audience.userIds)] : undefined;
  const campaign: Campaign = {
    campaignId: deps.newId(),
    title: input.title,
    body: input.body,
    audience: userIds ? { userIds } : { all: true },
    channels: input.channels,
    status: 'SENDING',
    counts: { targeted: userIds ? userIds.length : 0, requested: 0, batches: 0 },
    delivered: Object.fromEntries(input.channels.map((c) => [c, 0])),
    createdAt: deps.now().toISOString(),
    createdBy: adminId,
  };
  await deps.campaigns.create(campaign);
  const batches: CampaignBatch[] = [];
  if (userIds)
    for (let i = 0; i < userIds.length; i += CAMPAIGN_BATCH_SIZE)
      batches.push({
        campaignId: campaign.campaignId,
        batchId: `list-${i / CAMPAIGN_BATCH_SIZE}`,
        userIds: userIds.slice(i, i + CAMPAIGN_BATCH_SIZE),
      });
  else batches.push({ campaignId: campaign.campaignId, batchId: 'page-0', all: true });
  await deps.batches.send(batches);
  return campaign;
}

export async function getCampaign(
  deps: Pick<CampaignDeps, 'campaigns'>,
  campaignId: string,
): Promise<Campaign> {
  const campaign = await deps.campaigns.get(campaignId);
  if (!campaign) throw notificationErrors.campaignNotFound(campaignId);
  return campaign;
}

export async function sendCampaignBatch(deps: CampaignDeps, batch: CampaignBatch): Promise<void> {
  const campaign = await deps.campaigns.get(batch.campaignId);
  if (!campaign) throw new Error(`No campaign ${batch.campaignId}`);
  let userIds: readonly string[];
  let next: string | undefined;
  if ('userIds' in batch) userIds = batch.userIds;
  else ({ userIds, next } = await deps.users.page(batch.startKey, CAMPAIGN_BATCH_SIZE));
  // Stable per campaign and user: a redelivered batch dispatches nothing twice.
  await deps.requests.send(
    userIds.map((userId) => ({
      eventType: CAMPAIGN_EVENT,
      userId,
      data: { title: campaign.title, body: campaign.body, campaignId: campaign.campaignId },
      idempotencyKey: `campaign:${campaign.campaignId}:${userId}`,
      priority: 'promotional',
      channels: [...campaign.channels],
      occurredAt: campaign.createdAt,
    })),
  );
  if (next !== undefined)
    await deps.batches.send([
      {
        campaignId: campaign.campaignId,
        batchId: `page-${encodeURIComponent(next)}`,
        all: true,
        startKey: next,
      },
    ]);
  // A list campaign is done when every listed user is requested (the store derives it); everyone, after
  // the last page.
  const last = !('userIds' in batch) && next === undefined;
  await deps.campaigns.countBatch(
    campaign.campaignId,
    batch.batchId,
    { targeted: 'userIds' in batch ? 0 : userIds.length, requested: userIds.length },
    last,
    deps.now().toISOString(),
  );
}
