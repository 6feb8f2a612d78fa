import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { httpHandler } from '#shared/http/handler';
import { readOrderExchanges } from '#shared/published/order-exchanges';
import { getOrderRoute } from '../contracts';
import { getOrder } from '../use-cases/lifecycle';
import { readOnlyPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(readOnlyPublisher);
const { EXCHANGES_TABLE_NAME } = parseEnv({ EXCHANGES_TABLE_NAME: z.string().check(z.minLength(1)) });

export const handler = httpHandler(getOrderRoute, async ({ caller, path }) => {
  // Read after the order: a caller who may not see the order learns nothing of its exchanges.
  const order = await getOrder(deps, caller, path.orderId);
  const exchanges = await readOrderExchanges(documentClient, EXCHANGES_TABLE_NAME, order.orderId);
  return { ...orderView(order), exchanges };
});
