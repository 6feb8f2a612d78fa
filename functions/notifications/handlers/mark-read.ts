import { httpHandler } from '#shared/http/handler';
import { markReadRoute } from '../contracts';
import { markRead } from '../use-cases/inbox';
import { inboxDeps } from '../wiring';

const deps = inboxDeps();

export const handler = httpHandler(markReadRoute, async ({ caller, path }) => {
  await markRead(deps, caller, path.notificationId);
});
