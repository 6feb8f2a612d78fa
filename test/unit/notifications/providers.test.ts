/** The provider adapters (SNS push, SES email, WhatsApp) with mocked SDK clients, and the SES feedback rule. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreatePlatformEndpointCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';
import { mockClient } from 'aws-sdk-client-mock';
import { sesEmailAdapter } from '../../../functions/notifications/adapters/ses-email';
import { snsPushAdapter, snsPushRegistry } from '../../../functions/notifications/adapters/sns-push';
import { whatsAppAdapter } from '../../../functions/notifications/adapters/whatsapp';
import type { Notification } from '../../../functions/notifications/domain';
import { PermanentSendError, type SendTarget } from '../../../functions/notifications/ports';
import { recordEmailFeedback } from '../../../functions/notifications/use-cases/email-feedback';

const sns = new SNSClient({ region: 'ap-south-1' });
const ses = new SESv2Client({ region: 'ap-south-1' });
const social = new SocialMessagingClient({ region: 'ap-south-1' });
const snsMock = mockClient(sns);
const sesMock = mockClient(ses);
const socialMock = mockClient(social);
beforeEach(() => {
  snsMock.reset();
  sesMock.reset();
  socialMock.reset();
});

const notification: Notification = {
  notificationId: '01JABCDEFGHJKMNPQRSTVWXYZ9',
  userId: 'u1',
  eventType: 'order.confirmed',
  priority: 'transactional',
  idempotencyKey: 'k',
  locale: 'hi',
  content: {
    title: 'T',
    body: 'B',
    whatsapp: { template: 'order_confirmed', parameters: ['#ABC', '₹1.00'] },
  },
  data: {},
  occurredAt: '2026-12-02T00:00:00.000Z',
  createdAt: '2026-12-02T00:00:00.000Z',
  deliveries: {},
};
const target = (over: Partial<SendTarget> = {}): SendTarget => ({
  notification,
  contact: { email: 'a@example.com', phone: '+919800000000' },
  devices: [
    {
      deviceId: 'D1',
      platform: 'android',
      endpoint: 'arn:aws:sns:ap-south-1:1:endpoint/GCM/app/1',
      createdAt: '',
    },
    {
      deviceId: 'D2',
      platform: 'ios',
      endpoint: 'arn:aws:sns:ap-south-1:1:endpoint/APNS/app/2',
      createdAt: '',
    },
  ],
  ...over,
});
const named = (name: string) => Object.assign(new Error(name), { name });

describe('SNS push', () => {
  it('publishes to every device and reports the endpoints the platform disabled', async () => {
    snsMock
      .on(PublishCommand, { TargetArn: 'arn:aws:sns:ap-south-1:1:endpoint/GCM/app/1' })
      .resolves({ MessageId: 'm1' })
      .on(PublishCommand, { TargetArn: 'arn:aws:sns:ap-south-1:1:endpoint/APNS/app/2' })
      .rejects(named('EndpointDisabledException'));
    const result = await snsPushAdapter(sns).send(target());
    expect(result).toEqual({ providerId: 'm1', disabledDevices: ['D2'] });
    const message = JSON.parse(snsMock.commandCalls(PublishCommand)[0]!.args[0].input.Message!) as Record<
      string,
      string
    >;
    expect(JSON.parse(message.GCM!)).toMatchObject({ notification: { title: 'T', body: 'B' } });
  });

  it('fails for good when every endpoint is disabled, naming them', async () => {
    snsMock.on(PublishCommand).rejects(named('EndpointDisabledException'));
    const error = await snsPushAdapter(sns)
      .send(target())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as PermanentSendError).disabledDevices).toEqual(['D1', 'D2']);
  });

  it('lets a throttled publish be retried (not permanent)', async () => {
    snsMock.on(PublishCommand).rejects(named('ThrottledException'));
    const error = await snsPushAdapter(sns)
      .send(target())
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PermanentSendError);
  });

  it("registers a token on the platform's application and refuses a platform the stage has none for", async () => {
    snsMock.on(CreatePlatformEndpointCommand).resolves({ EndpointArn: 'arn:endpoint' });
    const registry = snsPushRegistry({ android: 'arn:app/GCM/zepto' }, sns);
    await expect(registry.register('android', 'tok', 'u1')).resolves.toBe('arn:endpoint');
    expect(snsMock.commandCalls(CreatePlatformEndpointCommand)[0]!.args[0].input).toMatchObject({
      PlatformApplicationArn: 'arn:app/GCM/zepto',
      Token: 'tok',
    });
    await expect(registry.register('ios', 'tok', 'u1')).rejects.toThrow(
      /No push platform application for ios/,
    );
  });
});

describe('SES email', () => {
  it('sends through the configuration set from the stage address', async () => {
    sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const result = await sesEmailAdapter(
      { from: 'no-reply@mail.zepto.in', configurationSet: 'cs' },
      ses,
    ).send(target());
    expect(result).toEqual({ providerId: 'ses-1' });
    expect(sesMock.commandCalls(SendEmailCommand)[0]!.args[0].input).toMatchObject({
      FromEmailAddress: 'no-reply@mail.zepto.in',
      ConfigurationSetName: 'cs',
      Destination: { ToAddresses: ['a@example.com'] },
    });
  });

  it('fails for good on a rejected message', async () => {
    sesMock.on(SendEmailCommand).rejects(named('MessageRejected'));
    await expect(
      sesEmailAdapter({ from: 'f', configurationSet: 'c' }, ses).send(target()),
    ).rejects.toBeInstanceOf(PermanentSendError);
  });
});

describe('WhatsApp', () => {
  it("sends the approved template in the notification's language with its parameters", async () => {
    socialMock.on(SendWhatsAppMessageCommand).resolves({ messageId: 'wa-1' });
    const adapter = whatsAppAdapter({ phoneNumberId: 'phone-number-id-1', metaApiVersion: 'v20.0' }, social);
    await expect(adapter.send(target())).resolves.toEqual({ providerId: 'wa-1' });
    const input = socialMock.commandCalls(SendWhatsAppMessageCommand)[0]!.args[0].input;
    expect(JSON.parse(new TextDecoder().decode(input.message))).toEqual({
      messaging_product: 'whatsapp',
      to: '+919800000000',
      type: 'template',
      template: {
        name: 'order_confirmed',
        language: { code: 'hi' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '#ABC' },
              { type: 'text', text: '₹1.00' },
            ],
          },
        ],
      },
    });
  });

  it('fails for good without a sender in the stage or a phone number', async () => {
    await expect(
      whatsAppAdapter({ phoneNumberId: '', metaApiVersion: 'v20.0' }, social).send(target()),
    ).rejects.toThrow('This stage has no WhatsApp sender');
    await expect(
      whatsAppAdapter({ phoneNumberId: 'p', metaApiVersion: 'v20.0' }, social).send(target({ contact: {} })),
    ).rejects.toBeInstanceOf(PermanentSendError);
  });
});

describe('SES feedback', () => {
  it('suppresses permanent bounces and complaints, not transient bounces', async () => {
    const suppressed: string[] = [];
    const deps = {
      suppressions: {
        isSuppressed: async () => false,
        suppress: async (e: string) => void suppressed.push(e),
      },
      now: () => new Date(),
    };
    await recordEmailFeedback(deps, {
      eventType: 'Bounce',
      bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full@example.com' }] },
    });
    await recordEmailFeedback(deps, {
      eventType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'gone@example.com' }] },
    });
    await recordEmailFeedback(deps, {
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'angry@example.com' }] },
    });
    expect(suppressed).toEqual(['gone@example.com', 'angry@example.com']);
  });
});
