import { httpHandler } from '#shared/http/handler';
import { removeCartItemRoute } from '../contracts';
import { removeItem } from '../use-cases/cart';
import { cartDeps } from '../wiring';

const deps = cartDeps();

export const handler = httpHandler(removeCartItemRoute, async ({ caller, path }) =>
  removeItem(deps, caller.userId, path.productId),
);
