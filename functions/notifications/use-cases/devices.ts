/**
 * Push devices: registering creates the push endpoint (SNS) and keeps it with the user; registering the
 * same token again answers the device that has it. Removing deletes the endpoint too.
 */
import type { Caller } from '#shared/http/identity';
import { MAX_DEVICES, notificationErrors, type Device } from '../domain';
import type { DeviceDeps } from '../ports';

export async function registerDevice(
  deps: DeviceDeps,
  caller: Caller,
  input: { platform: Device['platform']; token: string },
): Promise<{ device: Device; created: boolean }> {
  const devices = await deps.devices.list(caller.userId);
  const endpoint = await deps.push.register(input.platform, input.token, caller.userId);
  const same = devices.find((d) => d.endpoint === endpoint);
  if (same) return { device: same, created: false };
  if (devices.length >= MAX_DEVICES) throw notificationErrors.deviceLimit(MAX_DEVICES);
  const device: Device = {
    deviceId: deps.newId(),
    platform: input.platform,
    endpoint,
    createdAt: deps.now().toISOString(),
  };
  await deps.devices.add(caller.userId, device);
  return { device, created: true };
}

export async function removeDevice(deps: DeviceDeps, caller: Caller, deviceId: string): Promise<void> {
  const device = (await deps.devices.list(caller.userId)).find((d) => d.deviceId === deviceId);
  if (!device) throw notificationErrors.deviceNotFound(deviceId);
  await deps.push.unregister(device.endpoint);
  await deps.devices.remove(caller.userId, deviceId);
}
