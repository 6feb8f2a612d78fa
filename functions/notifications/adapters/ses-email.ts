/**
 * Email through Amazon SES v2 with the stage's configuration set, whose bounce and complaint events suppress
 * the address (handlers/email-feedback.ts). SES takes no idempotency key: `idempotent: false` (ADR 19).
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { traceClient } from '#shared/tracing';
import { PermanentSendError, type ChannelAdapter } from '../ports';

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

export function sesEmailAdapter(
  config: { from: string; configurationSet: string },
  ses: SESv2Client = traceClient(new SESv2Client({})),
): ChannelAdapter {
  return {
    channel: 'email',
    idempotent: false,
    async send({ notification: n, contact }) {
      if (!contact.email) throw new PermanentSendError('No email address');
      try {
        const out = await ses.send(
          new SendEmailCommand({
            FromEmailAddress: config.from,
            Destination: { ToAddresses: [contact.email] },
            ConfigurationSetName: config.configurationSet,
            Content: {
              Simple: {
                Subject: { Data: n.content.title, Charset: 'UTF-8' },
                Body: { Text: { Data: n.content.body, Charset: 'UTF-8' } },
              },
            },
            EmailTags: [{ Name: 'notificationId', Value: n.notificationId }],
          }),
        );
        return out.MessageId ? { providerId: out.MessageId } : {};
      } catch (error) {
        if (errorName(error) === 'MessageRejected') throw new PermanentSendError(String(error));
        throw error;
      }
    },
  };
}
