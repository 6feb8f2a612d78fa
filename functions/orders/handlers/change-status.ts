import { httpHandler } from '#shared/http/handler';
import { changeOrderStatusRoute } from '../contracts';
import { changeStatus } from '../use-cases/lifecycle';
import { sqsOrderEventPublisher } from '../adapters/publisher';
import { orderView } from '../views';
import { lifecycleDeps } from '../wiring';

const deps = lifecycleDeps(sqsOrderEventPublisher());

export const handler = httpHandler(changeOrderStatusRoute, async ({ caller, path, body }) =>
  orderView(await changeStatus(deps, caller, path.orderId, body.status)),
);
