import { httpHandler } from '#shared/http/handler';
import { markAllReadRoute } from '../contracts';
import { markAllRead } from '../use-cases/inbox';
import { inboxDeps } from '../wiring';

const deps = inboxDeps();

export const handler = httpHandler(markAllReadRoute, async ({ caller }) => markAllRead(deps, caller));
