import * as z from 'zod/mini';
import { parseEnv } from '#shared/env';
import { HttpResponse, httpHandler } from '#shared/http/handler';
import { registerDeviceRoute } from '../contracts';
import { localPushRegistry } from '../adapters/local-push';
import { snsPushRegistry } from '../adapters/sns-push';
import { registerDevice } from '../use-cases/devices';
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

export const handler = httpHandler(registerDeviceRoute, async ({ caller, body }) => {
  const { device, created } = await registerDevice(deps, caller, body);
  const view = { deviceId: device.deviceId, platform: device.platform, createdAt: device.createdAt };
  return new HttpResponse(created ? 201 : 200, view);
});
