/**
 * Templates per event × channel × locale (`en`, `hi`). In-app, push and email show a title and a body;
 * WhatsApp sends an approved template by name (Meta approves templates ahead of time; the parameters fill
 * its placeholders in order). A channel missing from an event's `channels` has no template: the dispatcher
 * suppresses that channel with the reason.
 */
import type { Locale, NotificationChannel, Rendered } from './domain';

type Data = Readonly<Record<string, unknown>>;
type Text = (d: Data) => string;

interface Template {
  readonly channels: readonly NotificationChannel[];
  readonly title: Readonly<Record<Locale, Text>>;
  readonly body: Readonly<Record<Locale, Text>>;
  /** The approved WhatsApp template's name and its parameters (same name in every language). */
  readonly whatsapp?: { readonly template: string; readonly parameters: (d: Data) => string[] };
}

const str = (d: Data, key: string, fallback = ''): string => {
  const v = d[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : fallback;
};
/** The last 6 characters of an order id, as the apps show it. */
const ref = (d: Data) => `#${str(d, 'orderId').slice(-6)}`;
const rupees = (d: Data, key = 'totalPaise'): string => {
  const paise = d[key];
  if (typeof paise !== 'number' || !Number.isInteger(paise)) return '';
  return `₹${(paise / 100).toFixed(2)}`;
};
const counts = (d: Data, key: string): string => {
  const c = d.counts;
  const v = c && typeof c === 'object' ? (c as Record<string, unknown>)[key] : undefined;
  return typeof v === 'number' ? String(v) : '0';
};

const CUSTOMER: readonly NotificationChannel[] = ['in_app', 'push', 'email', 'whatsapp'];

const TEMPLATES: Readonly<Record<string, Template>> = {
  'order.confirmed': {
    channels: CUSTOMER,
    title: { en: () => 'Order confirmed', hi: () => 'ऑर्डर की पुष्टि हो गई' },
    body: {
      en: (d) => `Your order ${ref(d)} of ${rupees(d)} is confirmed and is being packed.`,
      hi: (d) => `आपका ऑर्डर ${ref(d)} (${rupees(d)}) कन्फ़र्म हो गया है और पैक किया जा रहा है।`,
    },
    whatsapp: { template: 'order_confirmed', parameters: (d) => [ref(d), rupees(d)] },
  },
  'order.packed': {
    channels: ['in_app', 'push'],
    title: { en: () => 'Order packed', hi: () => 'ऑर्डर पैक हो गया' },
    body: {
      en: (d) => `Your order ${ref(d)} is packed and waiting for a rider.`,
      hi: (d) => `आपका ऑर्डर ${ref(d)} पैक हो गया है और राइडर का इंतज़ार कर रहा है।`,
    },
  },
  'order.out_for_delivery': {
    channels: CUSTOMER,
    title: { en: () => 'On the way', hi: () => 'रास्ते में' },
    body: {
      en: (d) => `Your order ${ref(d)} is out for delivery.`,
      hi: (d) => `आपका ऑर्डर ${ref(d)} डिलीवरी के लिए निकल चुका है।`,
    },
    whatsapp: { template: 'order_out_for_delivery', parameters: (d) => [ref(d)] },
  },
  'order.delivered': {
    channels: CUSTOMER,
    title: { en: () => 'Delivered', hi: () => 'डिलीवर हो गया' },
    body: {
      en: (d) => `Your order ${ref(d)} has been delivered. Enjoy!`,
      hi: (d) => `आपका ऑर्डर ${ref(d)} डिलीवर हो गया है।`,
    },
    whatsapp: { template: 'order_delivered', parameters: (d) => [ref(d)] },
  },
  'order.cancelled': {
    channels: CUSTOMER,
    title: { en: () => 'Order cancelled', hi: () => 'ऑर्डर रद्द हो गया' },
    body: {
      en: (d) =>
        `Your order ${ref(d)} was cancelled${str(d, 'reason') ? ` (${str(d, 'reason')})` : ''}.${d.refund ? ` A refund of ${rupees(d)} is on its way.` : ''}`,
      hi: (d) =>
        `आपका ऑर्डर ${ref(d)} रद्द कर दिया गया${str(d, 'reason') ? ` (${str(d, 'reason')})` : ''}।${d.refund ? ` ${rupees(d)} का रिफ़ंड भेजा जा रहा है।` : ''}`,
    },
    whatsapp: { template: 'order_cancelled', parameters: (d) => [ref(d)] },
  },
  'payment.succeeded': {
    channels: ['in_app', 'push', 'email'],
    title: { en: () => 'Payment received', hi: () => 'भुगतान मिल गया' },
    body: {
      en: (d) => `We received ${rupees(d, 'amountPaise')} for order ${ref(d)}.`,
      hi: (d) => `ऑर्डर ${ref(d)} के लिए ${rupees(d, 'amountPaise')} का भुगतान मिल गया।`,
    },
  },
  'payment.failed': {
    channels: CUSTOMER,
    title: { en: () => 'Payment failed', hi: () => 'भुगतान विफल' },
    body: {
      en: (d) => `The payment for order ${ref(d)} did not go through. No money was taken.`,
      hi: (d) => `ऑर्डर ${ref(d)} का भुगतान नहीं हो पाया। कोई पैसा नहीं कटा।`,
    },
    whatsapp: { template: 'payment_failed', parameters: (d) => [ref(d)] },
  },
  'payment.refunded': {
    channels: CUSTOMER,
    title: { en: () => 'Refund issued', hi: () => 'रिफ़ंड जारी' },
    body: {
      en: (d) =>
        `${rupees(d, 'amountPaise')} for order ${ref(d)} is refunded to your original payment method.`,
      hi: (d) => `ऑर्डर ${ref(d)} के ${rupees(d, 'amountPaise')} आपके मूल भुगतान माध्यम में लौटा दिए गए।`,
    },
    whatsapp: { template: 'payment_refunded', parameters: (d) => [ref(d), rupees(d, 'amountPaise')] },
  },
  'inventory_import.finished': {
    channels: ['in_app', 'email'],
    title: { en: () => 'Inventory import finished', hi: () => 'इन्वेंटरी इम्पोर्ट पूरा' },
    body: {
      en: (d) =>
        `Import ${str(d, 'importId')}: ${counts(d, 'applied')} rows applied, ${counts(d, 'rejected')} rejected.`,
      hi: (d) =>
        `इम्पोर्ट ${str(d, 'importId')}: ${counts(d, 'applied')} पंक्तियाँ लागू, ${counts(d, 'rejected')} अस्वीकृत।`,
    },
  },
  'inventory_import.failed': {
    channels: ['in_app', 'email'],
    title: { en: () => 'Inventory import failed', hi: () => 'इन्वेंटरी इम्पोर्ट विफल' },
    body: {
      en: (d) => `Import ${str(d, 'importId')} failed${str(d, 'reason') ? `: ${str(d, 'reason')}` : ''}.`,
      hi: (d) => `इम्पोर्ट ${str(d, 'importId')} विफल रहा${str(d, 'reason') ? `: ${str(d, 'reason')}` : ''}।`,
    },
  },
  // Exchanges (functions/exchanges): data {exchangeId, orderId, status, refundPaise?}.
  'exchange.requested': {
    channels: ['in_app', 'email'],
    title: { en: () => 'Exchange requested', hi: () => 'एक्सचेंज का अनुरोध मिला' },
    body: {
      en: (d) => `We received your exchange request for order ${ref(d)} and will review it shortly.`,
      hi: (d) => `ऑर्डर ${ref(d)} के लिए आपका एक्सचेंज अनुरोध मिल गया है, हम जल्द ही इसकी जाँच करेंगे।`,
    },
  },
  'exchange.rejected': {
    channels: ['in_app', 'push', 'email'],
    title: { en: () => 'Exchange declined', hi: () => 'एक्सचेंज अस्वीकार' },
    body: {
      en: (d) =>
        `Your exchange request for order ${ref(d)} was declined. Contact support if this looks wrong.`,
      hi: (d) => `ऑर्डर ${ref(d)} के लिए आपका एक्सचेंज अनुरोध अस्वीकार कर दिया गया। गलत लगे तो सपोर्ट से संपर्क करें।`,
    },
  },
  'exchange.replacement_reserved': {
    channels: CUSTOMER,
    title: { en: () => 'Exchange approved', hi: () => 'एक्सचेंज स्वीकृत' },
    body: {
      en: (d) => `Your exchange for order ${ref(d)} is approved; the replacement is being packed.`,
      hi: (d) => `ऑर्डर ${ref(d)} का एक्सचेंज स्वीकृत हो गया है; बदला हुआ सामान पैक किया जा रहा है।`,
    },
    whatsapp: { template: 'exchange_approved', parameters: (d) => [ref(d)] },
  },
  'exchange.replacement_unavailable': {
    channels: CUSTOMER,
    title: { en: () => 'Refund instead of replacement', hi: () => 'बदले की जगह रिफ़ंड' },
    body: {
      en: (d) =>
        `The replacement for order ${ref(d)} is out of stock: ${rupees(d, 'refundPaise')} will be refunded instead.`,
      hi: (d) =>
        `ऑर्डर ${ref(d)} का बदला हुआ सामान स्टॉक में नहीं है: इसके बदले ${rupees(d, 'refundPaise')} लौटाए जाएँगे।`,
    },
    whatsapp: { template: 'exchange_refund', parameters: (d) => [ref(d), rupees(d, 'refundPaise')] },
  },
  'exchange.packed': {
    channels: ['in_app', 'push'],
    title: { en: () => 'Replacement packed', hi: () => 'बदला हुआ सामान पैक' },
    body: {
      en: (d) => `The replacement for order ${ref(d)} is packed and waiting for a rider.`,
      hi: (d) => `ऑर्डर ${ref(d)} का बदला हुआ सामान पैक हो गया है और राइडर का इंतज़ार कर रहा है।`,
    },
  },
  'exchange.out_for_delivery': {
    channels: CUSTOMER,
    title: { en: () => 'Replacement on the way', hi: () => 'बदला हुआ सामान रास्ते में' },
    body: {
      en: (d) => `The replacement for order ${ref(d)} is on its way.`,
      hi: (d) => `ऑर्डर ${ref(d)} का बदला हुआ सामान रास्ते में है।`,
    },
    whatsapp: { template: 'exchange_on_the_way', parameters: (d) => [ref(d)] },
  },
  'exchange.completed': {
    channels: ['in_app', 'push', 'email'],
    title: { en: () => 'Replacement delivered', hi: () => 'बदला हुआ सामान पहुँचा' },
    body: {
      en: (d) => `The replacement for order ${ref(d)} was delivered. Thank you for your patience.`,
      hi: (d) => `ऑर्डर ${ref(d)} का बदला हुआ सामान पहुँचा दिया गया। धैर्य के लिए धन्यवाद।`,
    },
  },
  /** Campaigns: the admin's own title and body (the same text in every locale). */
  'campaign.promotion': {
    channels: CUSTOMER,
    title: { en: (d) => str(d, 'title'), hi: (d) => str(d, 'title') },
    body: { en: (d) => str(d, 'body'), hi: (d) => str(d, 'body') },
    whatsapp: { template: 'promotion', parameters: (d) => [str(d, 'title'), str(d, 'body')] },
  },
};

export const EVENT_TYPES = Object.keys(TEMPLATES);

export function hasTemplate(eventType: string, channel: NotificationChannel): boolean {
  const t = TEMPLATES[eventType];
  if (!t || !t.channels.includes(channel)) return false;
  return channel !== 'whatsapp' || t.whatsapp !== undefined;
}

/** The content of an event in a locale, or undefined for an event type without templates. */
export function render(eventType: string, locale: Locale, data: Data): Rendered | undefined {
  const t = TEMPLATES[eventType];
  if (!t) return undefined;
  return {
    title: t.title[locale](data),
    body: t.body[locale](data),
    ...(t.whatsapp
      ? { whatsapp: { template: t.whatsapp.template, parameters: t.whatsapp.parameters(data) } }
      : {}),
  };
}
