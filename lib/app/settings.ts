/**
 * Named stage settings a function may ask for (`FunctionDef.settings`): each is one value of the stage
 * config, handed to the function as one environment variable by `functionEnvironment` (lib/app/env.ts), so
 * CDK and the local platform render the same variables from the same config.
 */
import type { StageConfig } from '../config/stages';

export const SETTINGS = {
  /** Seconds a checkout holds stock for payment (locally ZEPTO_RESERVATION_TTL_SECONDS overrides it). */
  reservationTtlSeconds: {
    env: 'RESERVATION_TTL_SECONDS',
    of: (c: StageConfig) => c.orders.reservationTtlSeconds,
  },
  /** Subtotal in paise from which delivery is free. */
  freeDeliveryThresholdPaise: {
    env: 'FREE_DELIVERY_THRESHOLD_PAISE',
    of: (c: StageConfig) => c.orders.freeDeliveryThresholdPaise,
  },
  /** Delivery fee in paise below the threshold. */
  deliveryFeePaise: { env: 'DELIVERY_FEE_PAISE', of: (c: StageConfig) => c.orders.deliveryFeePaise },
  /** The exchange window, per-category windows and auto-approval rules, as JSON. */
  exchangeRules: { env: 'EXCHANGE_RULES', of: (c: StageConfig) => JSON.stringify(c.exchanges) },
  /** `outbox` (local, dev) or `providers` (SNS, SES, WhatsApp): how push, email and WhatsApp are sent. */
  notificationDelivery: { env: 'NOTIFICATION_DELIVERY', of: (c: StageConfig) => c.notifications.delivery },
  /** Channels whose outbox adapter fails every send: always none in a stage (ZEPTO_FAIL_CHANNELS locally). */
  notificationFailChannels: { env: 'NOTIFICATION_FAIL_CHANNELS', of: () => '' },
  /** The SES sender address. */
  emailFromAddress: { env: 'EMAIL_FROM_ADDRESS', of: (c: StageConfig) => c.notifications.email.fromAddress },
  /** The WhatsApp sender's phone number id ('' = none in this stage). */
  whatsappPhoneNumberId: {
    env: 'WHATSAPP_PHONE_NUMBER_ID',
    of: (c: StageConfig) => c.notifications.whatsapp?.phoneNumberId ?? '',
  },
  whatsappMetaApiVersion: {
    env: 'WHATSAPP_META_API_VERSION',
    of: (c: StageConfig) => c.notifications.whatsapp?.metaApiVersion ?? 'v20.0',
  },
  /** The payment provider (`simulator` or `stripe`) and its API's base URL. */
  paymentProvider: { env: 'PAYMENT_PROVIDER', of: (c: StageConfig) => c.payments.provider },
  paymentProviderEndpoint: {
    env: 'PAYMENT_PROVIDER_ENDPOINT',
    of: (c: StageConfig) => c.payments.providerEndpoint,
  },
  /** Timeout of one provider call, in milliseconds. */
  paymentProviderTimeoutMs: {
    env: 'PAYMENT_PROVIDER_TIMEOUT_MS',
    of: (c: StageConfig) => c.payments.providerTimeoutMs,
  },
  /** First backoff between payment attempts, in seconds. */
  paymentRetryBaseSeconds: {
    env: 'PAYMENT_RETRY_BASE_SECONDS',
    of: (c: StageConfig) => c.payments.retryBaseSeconds,
  },
} as const satisfies Record<string, { env: string; of: (c: StageConfig) => string | number }>;

export type SettingName = keyof typeof SETTINGS;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Every setting's value in a stage, as the strings environment variables carry. */
export function stageSettings(config: StageConfig): Record<SettingName, string> {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, String(SETTINGS[n].of(config))])) as Record<
    SettingName,
    string
  >;
}

/**
 * The local platform's settings: the local stage's, with the `ZEPTO_*` overrides the issues name
 * (`ZEPTO_RESERVATION_TTL_SECONDS`: a whole number of seconds ≥ 1). Never read for a deployed stage.
 */
export function localSettings(config: StageConfig, env: NodeJS.ProcessEnv = process.env) {
  const settings = stageSettings(config);
  const ttl = env.ZEPTO_RESERVATION_TTL_SECONDS;
  if (ttl !== undefined && ttl !== '') {
    if (!/^\d{1,7}$/.test(ttl) || Number(ttl) < 1)
      throw new Error(`ZEPTO_RESERVATION_TTL_SECONDS must be a whole number of seconds ≥ 1, got "${ttl}"`);
    settings.reservationTtlSeconds = String(Number(ttl));
  }
  settings.notificationFailChannels = parseFailChannels(env.ZEPTO_FAIL_CHANNELS);
  return settings;
}

/** The channels with a local outbox adapter (in-app is the inbox itself). */
const FAILABLE_CHANNELS = ['push', 'email', 'whatsapp'];

/** `ZEPTO_FAIL_CHANNELS=whatsapp,email`: those local adapters fail every send (ADR 19). */
export function parseFailChannels(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '';
  const channels = value.split(',').map((c) => c.trim().toLowerCase().replace('-', '_'));
  const unknown = channels.filter((c) => !FAILABLE_CHANNELS.includes(c));
  if (unknown.length > 0)
    throw new Error(
      `ZEPTO_FAIL_CHANNELS names unknown channels (${unknown.join(', ')}); expected some of ${FAILABLE_CHANNELS.join(', ')}`,
    );
  return [...new Set(channels)].join(',');
}
