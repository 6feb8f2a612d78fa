import { httpHandler } from '#shared/http/handler';
import { setCartItemRoute } from '../contracts';
import { setItem } from '../use-cases/cart';
import { cartDeps } from '../wiring';

const deps = cartDeps();

export const handler = httpHandler(setCartItemRoute, async ({ caller, path, body }) =>
  setItem(deps, caller.userId, path.productId, body.quantity),
);
