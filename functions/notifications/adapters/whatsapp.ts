/**
 * WhatsApp through AWS End User Messaging Social (`SendWhatsAppMessage`) with Meta-approved templates by name,
 * in the notification's language. No idempotency key: `idempotent: false` (ADR 19).
 */
import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { traceClient } from '#shared/tracing';
import { PermanentSendError, type ChannelAdapter } from '../ports';

export function whatsAppAdapter(
  config: { phoneNumberId: string; metaApiVersion: string },
  client: SocialMessagingClient = traceClient(new SocialMessagingClient({})),
): ChannelAdapter {
  return {
    channel: 'whatsapp',
    idempotent: false,
    async send({ notification: n, contact }) {
      if (!config.phoneNumberId) throw new PermanentSendError('This stage has no WhatsApp sender');
      if (!contact.phone) throw new PermanentSendError('No phone number');
      const template = n.content.whatsapp;
      if (!template) throw new PermanentSendError(`No WhatsApp template for ${n.eventType}`);
      const message = {
        messaging_product: 'whatsapp',
        to: contact.phone,
        type: 'template',
        template: {
          name: template.template,
          language: { code: n.locale === 'hi' ? 'hi' : 'en' },
          components: [
            { type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) },
          ],
        },
      };
      const out = await client.send(
        new SendWhatsAppMessageCommand({
          originationPhoneNumberId: config.phoneNumberId,
          metaApiVersion: config.metaApiVersion,
          message: new TextEncoder().encode(JSON.stringify(message)),
        }),
      );
      return out.messageId ? { providerId: out.messageId } : {};
    },
  };
}
