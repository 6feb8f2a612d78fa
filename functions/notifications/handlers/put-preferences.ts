import { httpHandler } from '#shared/http/handler';
import { putPreferencesRoute } from '../contracts';
import { putPreferences } from '../use-cases/preferences';
import { preferencesDeps } from '../wiring';

const deps = preferencesDeps();

export const handler = httpHandler(putPreferencesRoute, async ({ caller, body }) =>
  putPreferences(deps, caller, body),
);
