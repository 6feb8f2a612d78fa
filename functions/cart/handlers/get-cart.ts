import { httpHandler } from '#shared/http/handler';
import { getCartRoute } from '../contracts';
import { getCart } from '../use-cases/cart';
import { cartDeps } from '../wiring';

const deps = cartDeps();

export const handler = httpHandler(getCartRoute, async ({ caller }) => getCart(deps, caller.userId));
