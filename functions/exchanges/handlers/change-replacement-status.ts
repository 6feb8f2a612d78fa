import { httpHandler } from '#shared/http/handler';
import { changeReplacementStatusRoute } from '../contracts';
import { moveReplacement } from '../use-cases/exchanges';
import { exchangeView } from '../views';
import { exchangeDeps } from '../wiring';

const deps = exchangeDeps();

export const handler = httpHandler(changeReplacementStatusRoute, async ({ caller, path, body }) =>
  exchangeView(await moveReplacement(deps, caller, path.exchangeId, body.status)),
);
