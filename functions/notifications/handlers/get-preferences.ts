import { httpHandler } from '#shared/http/handler';
import { getPreferencesRoute } from '../contracts';
import { getPreferences } from '../use-cases/preferences';
import { preferencesDeps } from '../wiring';

const deps = preferencesDeps();

export const handler = httpHandler(getPreferencesRoute, async ({ caller }) => getPreferences(deps, caller));
