import { HttpResponse, httpHandler } from '#shared/http/handler';
import { createCampaignRoute } from '../admin-contracts';
import { createCampaign } from '../use-cases/campaigns';
import { campaignDeps } from '../wiring';

const deps = campaignDeps();

export const handler = httpHandler(
  createCampaignRoute,
  async ({ caller, body }) => new HttpResponse(202, await createCampaign(deps, caller.userId, body)),
);
