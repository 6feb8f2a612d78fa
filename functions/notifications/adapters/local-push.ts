/**
 * Push registration where nothing is sent for real (locally and in dev): the device's endpoint is a stable
 * local name derived from its token, so registering the same token again finds the same device.
 */
import { createHash } from 'node:crypto';
import type { PushRegistry } from '../ports';

export const localPushRegistry: PushRegistry = {
  register: async (platform, token) =>
    `local:push:${platform}:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`,
  unregister: async () => undefined,
};
