/**
 * Push through Amazon SNS mobile push (deployed stages that send for real): a device's token becomes a
 * platform endpoint of the stage's platform application (FCM for android, APNs for ios); a send publishes to
 * every device of the user, and endpoints the platform disabled are reported so the worker removes them.
 * SNS takes no idempotency key: `idempotent: false` (ADR 19).
 */
import {
  CreatePlatformEndpointCommand,
  DeleteEndpointCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { traceClient } from '#shared/tracing';
import type { Device } from '../domain';
import { PermanentSendError, type ChannelAdapter, type PushRegistry } from '../ports';

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

export function snsPushAdapter(sns: SNSClient = traceClient(new SNSClient({}))): ChannelAdapter {
  return {
    channel: 'push',
    idempotent: false,
    async send({ notification: n, devices }) {
      if (devices.length === 0) throw new PermanentSendError('No registered device');
      const payload = { notificationId: n.notificationId, eventType: n.eventType };
      const message = JSON.stringify({
        default: n.content.body,
        GCM: JSON.stringify({
          notification: { title: n.content.title, body: n.content.body },
          data: payload,
        }),
        APNS: JSON.stringify({
          aps: { alert: { title: n.content.title, body: n.content.body } },
          ...payload,
        }),
      });
      const disabled: string[] = [];
      let providerId: string | undefined;
      for (const device of devices) {
        try {
          const out = await sns.send(
            new PublishCommand({ TargetArn: device.endpoint, Message: message, MessageStructure: 'json' }),
          );
          providerId ??= out.MessageId;
        } catch (error) {
          // The platform disabled the endpoint (app uninstalled, token expired): the device goes.
          if (errorName(error) === 'EndpointDisabledException' || errorName(error) === 'NotFoundException')
            disabled.push(device.deviceId);
          else throw error;
        }
      }
      if (providerId === undefined)
        throw new PermanentSendError('Every device endpoint is disabled', disabled);
      return { providerId, disabledDevices: disabled };
    },
  };
}

export function snsPushRegistry(
  platformApplications: Readonly<Partial<Record<Device['platform'], string>>>,
  sns: SNSClient = traceClient(new SNSClient({})),
): PushRegistry {
  return {
    async register(platform, token, userId) {
      const arn = platformApplications[platform];
      if (!arn) throw new PermanentSendError(`No push platform application for ${platform} in this stage`);
      // Idempotent for the same token: SNS answers the existing endpoint.
      const out = await sns.send(
        new CreatePlatformEndpointCommand({
          PlatformApplicationArn: arn,
          Token: token,
          CustomUserData: userId,
        }),
      );
      if (!out.EndpointArn) throw new Error('CreatePlatformEndpoint returned no EndpointArn');
      return out.EndpointArn;
    },
    async unregister(endpoint) {
      await sns.send(new DeleteEndpointCommand({ EndpointArn: endpoint }));
    },
  };
}
