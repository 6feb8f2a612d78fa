import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { httpHandler } from '#shared/http/handler';
import { deleteDeviceRoute } from '../contracts';
import { localPushRegistry } from '../adapters/local-push';
import { snsPushRegistry } from '../adapters/sns-push';
import { removeDevice } from '../use-cases/devices';
import { deliveryMode, deviceDeps } from '../wiring';

const platformApplications = () =>
  z
    .object({ android: z.optional(z.string()), ios: z.optional(z.string()) })
    .parse(
      JSON.parse(parseEnv({ PUSH_PLATFORM_APPLICATIONS: z.string() }).PUSH_PLATFORM_APPLICATIONS || '{}'),
    );

const deps = deviceDeps(
  deliveryMode() === 'providers' ? snsPushRegistry(platformApplications()) : localPushRegistry,
);

export const handler = httpHandler(deleteDeviceRoute, async ({ caller, path }) => {
  await removeDevice(deps, caller, path.deviceId);
});
