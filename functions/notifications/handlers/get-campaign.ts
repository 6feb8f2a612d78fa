import { httpHandler } from '#shared/http/handler';
import { getCampaignRoute } from '../admin-contracts';
import { getCampaign } from '../use-cases/campaigns';
import { DynamoCampaignStore } from '../adapters/dynamodb-campaigns';
import { documentClient, name } from '../wiring';
import { parseEnv } from '#shared/env';

const { NOTIFICATION_CAMPAIGNS_TABLE_NAME } = parseEnv({ NOTIFICATION_CAMPAIGNS_TABLE_NAME: name });
const deps = { campaigns: new DynamoCampaignStore(documentClient, NOTIFICATION_CAMPAIGNS_TABLE_NAME) };

export const handler = httpHandler(getCampaignRoute, async ({ path }) => getCampaign(deps, path.campaignId));
