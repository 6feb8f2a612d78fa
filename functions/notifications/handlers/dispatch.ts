import { notificationRequestSchema } from '#shared/published/notification-request';
import { queueHandler } from '#shared/queue/consumer';
import { dispatch } from '../use-cases/dispatch';
import { dispatchDeps } from '../wiring';

const deps = dispatchDeps();

export const handler = queueHandler(notificationRequestSchema(), async (request) => {
  await dispatch(deps, request);
});
