/** The notification rules: deterministic ids, quiet hours, per-channel decisions, templates, order events. */
import {
  decide,
  defaultPreferences,
  notificationIdFor,
  quietHoursEnd,
  ULID_PATTERN,
  type Audience,
} from '../../../functions/notifications/domain';
import { hasTemplate, render } from '../../../functions/notifications/templates';
import { requestForOrderEvent } from '../../../functions/notifications/use-cases/order-events';
import { backoffSeconds, queueUrlOf } from '../../../functions/notifications/adapters/sqs';
import { parseFailChannels } from '../../../lib/app/settings';
import type { OrderEvent } from '../../../functions/shared/published/order-event';
import { EXCHANGE_STATUSES } from '../../../functions/exchanges/domain';

const audience = (over: Partial<Audience> = {}): Audience => ({
  preferences: defaultPreferences(),
  contact: { email: 'a@example.com', phone: '+919800000000' },
  devices: [{ deviceId: 'D1', platform: 'android', endpoint: 'local:push:x', createdAt: '' }],
  emailSuppressed: false,
  ...over,
});
const allTemplates = () => true;
const kolkata = { start: '22:00', end: '08:00', timeZone: 'Asia/Kolkata' };
// 23:30 IST = 18:00 UTC.
const lateEvening = new Date('2026-12-02T18:00:00.000Z');
const noon = new Date('2026-12-02T06:30:00.000Z');

describe('notification ids', () => {
  it('are ULIDs fixed by the idempotency key, ordered by the event time', () => {
    const a = notificationIdFor('order-event:X:2', '2026-12-02T10:00:00.000Z');
    expect(a).toMatch(ULID_PATTERN);
    expect(notificationIdFor('order-event:X:2', '2026-12-02T10:00:00.000Z')).toBe(a);
    expect(notificationIdFor('order-event:X:3', '2026-12-02T10:00:00.000Z')).not.toBe(a);
    expect(notificationIdFor('order-event:X:1', '2026-12-02T09:59:59.000Z') < a).toBe(true);
  });
});

describe('quiet hours', () => {
  it('end at the next local end time when now is inside a window that wraps past midnight', () => {
    // 23:30 IST → 08:00 IST the next morning = 02:30 UTC.
    expect(quietHoursEnd(kolkata, lateEvening)?.toISOString()).toBe('2026-12-03T02:30:00.000Z');
    // 01:00 IST (19:30 UTC) → 08:00 IST the same morning.
    expect(quietHoursEnd(kolkata, new Date('2026-12-02T19:30:00.000Z'))?.toISOString()).toBe(
      '2026-12-03T02:30:00.000Z',
    );
  });

  it('are not in force outside the window, nor when start equals end', () => {
    expect(quietHoursEnd(kolkata, noon)).toBeUndefined();
    expect(quietHoursEnd({ ...kolkata, end: '22:00' }, lateEvening)).toBeUndefined();
    expect(
      quietHoursEnd(
        { start: '13:00', end: '14:00', timeZone: 'UTC' },
        new Date('2026-12-02T13:59:00Z'),
      )?.toISOString(),
    ).toBe('2026-12-02T14:00:00.000Z');
  });
});

describe('decide', () => {
  it('sends a transactional message on every channel, quiet hours or not', () => {
    const prefs = { ...defaultPreferences(), quietHours: kolkata };
    const decisions = decide(
      { priority: 'transactional' },
      audience({ preferences: prefs }),
      allTemplates,
      lateEvening,
    );
    expect(decisions.map((d) => [d.channel, d.action])).toEqual([
      ['in_app', 'send'],
      ['push', 'send'],
      ['email', 'send'],
      ['whatsapp', 'send'],
    ]);
  });

  it('always includes in-app for transactional messages, even when the producer names other channels', () => {
    const decisions = decide(
      { priority: 'transactional', channels: ['email'] },
      audience(),
      allTemplates,
      noon,
    );
    expect(decisions.map((d) => d.channel)).toEqual(['in_app', 'email']);
  });

  it('defers a promotional message in quiet hours on every channel but in-app, until they end', () => {
    const prefs = { ...defaultPreferences(), quietHours: kolkata };
    const decisions = decide(
      { priority: 'promotional' },
      audience({ preferences: prefs }),
      allTemplates,
      lateEvening,
    );
    expect(decisions.find((d) => d.channel === 'in_app')?.action).toBe('send');
    for (const channel of ['push', 'email', 'whatsapp']) {
      const d = decisions.find((x) => x.channel === channel);
      expect(d).toMatchObject({ action: 'defer', reason: 'Quiet hours' });
      expect(d?.action === 'defer' && d.dueAt.toISOString()).toBe('2026-12-03T02:30:00.000Z');
    }
  });

  it('suppresses every channel of a promotional message when the user opted out of promotions', () => {
    const prefs = { ...defaultPreferences(), promotional: false };
    const decisions = decide(
      { priority: 'promotional' },
      audience({ preferences: prefs }),
      allTemplates,
      noon,
    );
    expect(decisions.every((d) => d.action === 'suppress')).toBe(true);
    expect(decisions.length).toBe(4);
  });

  it('suppresses a channel the user turned off, with the reason, and keeps the others', () => {
    const prefs = { ...defaultPreferences(), channels: { push: true, email: false, whatsapp: true } };
    const decisions = decide(
      { priority: 'promotional' },
      audience({ preferences: prefs }),
      allTemplates,
      noon,
    );
    expect(decisions.find((d) => d.channel === 'email')).toEqual({
      channel: 'email',
      action: 'suppress',
      reason: 'Opted out of email',
    });
    expect(decisions.filter((d) => d.action === 'send').map((d) => d.channel)).toEqual([
      'in_app',
      'push',
      'whatsapp',
    ]);
  });

  it('suppresses channels without an address, a device, a template, or with a suppressed email', () => {
    const decisions = decide(
      { priority: 'transactional' },
      audience({ contact: { email: 'a@example.com' }, devices: [], emailSuppressed: true }),
      (c) => c !== 'whatsapp',
      noon,
    );
    expect(
      Object.fromEntries(decisions.map((d) => [d.channel, d.action === 'suppress' ? d.reason : d.action])),
    ).toEqual({
      in_app: 'send',
      push: 'No registered device',
      email: 'Email address suppressed (bounce or complaint)',
      whatsapp: 'No phone number',
    });
  });
});

describe('templates', () => {
  it('render every order event in English and Hindi, with the short order reference and amount', () => {
    const data = { orderId: '01JABCDEFGHJKMNPQRSTVWXYZ9', totalPaise: 12_345 };
    expect(render('order.confirmed', 'en', data)).toMatchObject({
      title: 'Order confirmed',
      body: 'Your order #VWXYZ9 of ₹123.45 is confirmed and is being packed.',
      whatsapp: { template: 'order_confirmed', parameters: ['#VWXYZ9', '₹123.45'] },
    });
    expect(render('order.confirmed', 'hi', data)?.title).toBe('ऑर्डर की पुष्टि हो गई');
    for (const e of ['order.packed', 'order.out_for_delivery', 'order.delivered', 'order.cancelled'])
      for (const locale of ['en', 'hi'] as const) expect(render(e, locale, data)?.body).toContain('#VWXYZ9');
  });

  it('render every event the exchanges service sends, in English and Hindi', () => {
    const data = { exchangeId: 'E1', orderId: '01JABCDEFGHJKMNPQRSTVWXYZ9', status: 'X', refundPaise: 3_500 };
    // The statuses the exchanges service notifies (functions/exchanges/outbox.ts).
    for (const status of [...EXCHANGE_STATUSES.filter((s) => s !== 'APPROVED'), 'PACKED'])
      for (const locale of ['en', 'hi'] as const)
        expect(render(`exchange.${status.toLowerCase()}`, locale, data)?.body).toContain('#VWXYZ9');
    expect(render('exchange.replacement_unavailable', 'en', data)?.body).toContain('₹35.00');
  });

  it('know which channels each event has, and no event they were not written for', () => {
    expect(hasTemplate('order.packed', 'in_app')).toBe(true);
    expect(hasTemplate('order.packed', 'whatsapp')).toBe(false);
    expect(hasTemplate('inventory_import.finished', 'email')).toBe(true);
    expect(render('no.such_event', 'en', {})).toBeUndefined();
  });
});

describe('order events', () => {
  const event = (over: Partial<OrderEvent>): OrderEvent => ({
    eventId: 'O1:2',
    type: 'order.status_changed',
    orderId: 'O1',
    customerId: 'c1',
    storeId: 'S1',
    status: 'CONFIRMED',
    previousStatus: 'PENDING_PAYMENT',
    version: 2,
    at: '2026-12-02T10:00:00.000Z',
    totalPaise: 500,
    ...over,
  });

  it('become transactional requests for the customer keyed by the event id', () => {
    expect(requestForOrderEvent(event({}))).toEqual({
      eventType: 'order.confirmed',
      userId: 'c1',
      data: { orderId: 'O1', storeId: 'S1', totalPaise: 500 },
      idempotencyKey: 'order-event:O1:2',
      priority: 'transactional',
      occurredAt: '2026-12-02T10:00:00.000Z',
    });
    expect(
      requestForOrderEvent(event({ status: 'CANCELLED', reason: 'RESERVATION_EXPIRED' }))?.data,
    ).toMatchObject({
      reason: 'RESERVATION_EXPIRED',
    });
  });

  it('are not notified when an order is merely placed (unpaid)', () => {
    expect(
      requestForOrderEvent(event({ type: 'order.placed', status: 'PENDING_PAYMENT', previousStatus: null })),
    ).toBeUndefined();
  });
});

describe('retries and knobs', () => {
  it('back off with full jitter, growing with the receives and capped at 15 minutes', () => {
    expect(backoffSeconds(1, () => 0.999)).toBe(2);
    expect(backoffSeconds(3, () => 0.999)).toBe(8);
    expect(backoffSeconds(20, () => 1)).toBe(900);
    expect(backoffSeconds(3, () => 0)).toBe(1);
  });

  it('name a queue by its ARN for the SQS client', () => {
    expect(queueUrlOf('arn:aws:sqs:ap-south-1:123456789012:zepto-NotificationsEmail')).toBe(
      'https://sqs.ap-south-1.amazonaws.com/123456789012/zepto-NotificationsEmail',
    );
  });

  it('take ZEPTO_FAIL_CHANNELS as a list of outbox channels and refuse unknown ones', () => {
    expect(parseFailChannels('whatsapp, email')).toBe('whatsapp,email');
    expect(parseFailChannels(undefined)).toBe('');
    expect(() => parseFailChannels('sms')).toThrow(/ZEPTO_FAIL_CHANNELS/);
  });
});
