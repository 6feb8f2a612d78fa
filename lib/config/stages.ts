/**
 * Typed configuration per stage. Plain data (no aws-cdk-lib import), so the local platform can read the
 * same values (autoConfirmSignUp, logLevel) without loading CDK. Every difference between stages is a
 * field here; constructs and stacks receive explicit props and never test the stage name.
 */
import type { ExchangeRules } from '../../functions/exchanges/domain';

export const STAGE_NAMES = ['local', 'dev', 'staging', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Values CloudWatch Logs accepts as retention (a subset of `RetentionDays`). */
export type LogRetentionDays =
  1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 400 | 545 | 731 | 1827 | 3653;
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface StageConfig {
  readonly name: StageName;
  /** `account` undefined keeps the stacks account-agnostic (deployable to whatever account the CLI uses). */
  readonly env: { readonly account?: string; readonly region: string };

  /** Stateful resources: tables, buckets, keys, user pool. */
  readonly data: {
    /** `destroy` for throw-away stages; `retain` keeps tables, buckets and the user pool when the stack goes. */
    readonly removalPolicy: 'destroy' | 'retain';
    readonly pointInTimeRecovery: boolean;
    /** CloudFormation termination protection on the stateful stacks. */
    readonly terminationProtection: boolean;
    /** DynamoDB table deletion protection. */
    readonly tableDeletionProtection: boolean;
    /** `customer-managed`: one KMS key (rotated) for tables and buckets; `aws-managed`: AWS owned/managed keys. */
    readonly encryption: 'aws-managed' | 'customer-managed';
    readonly bucketVersioning: boolean;
  };

  readonly logRetentionDays: LogRetentionDays;
  /** Powertools and Lambda application log level. */
  readonly logLevel: LogLevel;

  readonly api: {
    /** Stage-level throttling (steady requests per second and burst), applied to every method. */
    readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
    /** Stricter throttling for unauthenticated routes (register, login...), per method. */
    readonly publicRouteThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
    /** AWS WAF rate-based rule: requests per client IP per 5 minutes before blocking. */
    readonly wafRateLimitPer5MinPerIp: number;
    /** API Gateway execution logging (never request/response bodies). */
    readonly executionLogLevel: 'INFO' | 'ERROR';
    /** Origins allowed by CORS (the API uses bearer tokens, not cookies, so `*` exposes no credentials). */
    readonly corsAllowOrigins: readonly string[];
  };

  /**
   * ElastiCache (Valkey) in its own stack with its VPC. `enabled: false` creates neither: functions that
   * declare the cache then run outside any VPC with the pass-through cache.
   */
  readonly cache: {
    readonly enabled: boolean;
    readonly nodeType: string;
    /** `maxmemory-policy` of the parameter group. */
    readonly evictionPolicy: 'allkeys-lru' | 'allkeys-lfu';
    /** Read replicas besides the primary (0 = a single node). */
    readonly replicas: number;
    /** Replicas in other AZs with automatic failover (needs replicas >= 1). */
    readonly multiAz: boolean;
    /** Availability zones of the VPC's isolated subnets (and of the cache subnet group). */
    readonly availabilityZones: number;
    /** Daily snapshots kept (0 = none). */
    readonly snapshotRetentionDays: number;
    /** Scheduled warm-up (functions/catalog/use-cases/warm-up.ts). */
    readonly warmUp: {
      /** Products warmed per run. */
      readonly topProducts: number;
      /** EventBridge Scheduler windows; empty = no schedule (the admin route still warms on demand). */
      readonly windows: readonly ScheduleWindow[];
    };
  };
  /** Amazon OpenSearch Service (lib/stacks/search-stack.ts); in the cache's VPC when the stage has one. */
  readonly search: {
    readonly enabled: boolean;
    readonly instanceType: string;
    /** Data nodes; more than one spreads them over availability zones (zone awareness) with one replica. */
    readonly instanceCount: number;
    /** Dedicated master nodes (3), keeping cluster management off the data nodes. @default none */
    readonly dedicatedMasterType?: string;
    /** EBS gp3 volume per data node. @default 20 */
    readonly volumeGiB?: number;
  };

  /** Cart and checkout settings (functions receive them through `FunctionDef.settings`, lib/app/settings.ts). */
  /** Exchange rules (functions receive them as EXCHANGE_RULES, functions/exchanges/domain.ts). */
  readonly exchanges: ExchangeRules;
  readonly orders: {
    /** How long a checkout holds stock for payment before the sweeper cancels the order. */
    readonly reservationTtlSeconds: number;
    /** Carts (and orders) with a subtotal at or above this pay no delivery fee, in paise. */
    readonly freeDeliveryThresholdPaise: number;
    /** The delivery fee below the threshold, in paise. */
    readonly deliveryFeePaise: number;
  };

  /**
   * Notification channels (ADR 19). `outbox`: push, email and WhatsApp are written to the
   * NotificationOutbox table that a person reads (local, dev); `providers`: Amazon SNS mobile push, Amazon
   * SES v2 (with a configuration set the stack creates) and AWS End User Messaging Social send for real.
   */
  readonly notifications: {
    readonly delivery: 'outbox' | 'providers';
    /** The verified SES identity (a domain) and the sender address on it. */
    readonly email: { readonly identity: string; readonly fromAddress: string };
    /**
     * Names of the SNS platform applications (FCM for android, APNs for ios) that hold the platforms'
     * credentials; created once per account by ops (CloudFormation has no resource for them). Absent: no
     * push registration on that platform.
     */
    readonly push: { readonly android?: string; readonly ios?: string };
    /** The WhatsApp sender (End User Messaging Social phone number id). Absent: WhatsApp sends fail with the reason. */
    readonly whatsapp?: { readonly phoneNumberId: string; readonly metaApiVersion: string };
  };
  /** The payment provider (functions/payments; ADR 18), given to the payment functions as settings. */
  readonly payments: {
    /** `simulator` (the local platform's; a dev stage may run one) or `stripe`. */
    readonly provider: 'simulator' | 'stripe';
    /** Base URL of the provider's API (the local platform replaces it with its simulator's). */
    readonly providerEndpoint: string;
    /** Each provider call is abandoned after this long (the charge's status is then asked). */
    readonly providerTimeoutMs: number;
    /** First backoff between attempts, doubled per attempt, full jitter (SQS visibility timeout). */
    readonly retryBaseSeconds: number;
  };

  /** Alarms notify this address through SNS (no subscription when absent). */
  readonly alarmEmail?: string;

  /** Alarm thresholds of the observability stack (every alarm looks at 5-minute periods). */
  readonly observability: {
    /** Route `ServerError` (handler 5xx) and Lambda `Errors`: alarm at this many in 5 minutes. */
    readonly errorsPer5Min: number;
    /** Lambda `Throttles`: alarm at this many in 5 minutes. */
    readonly throttlesPer5Min: number;
    /** API Gateway stage `5XXError` (handler 500s plus gateway/integration failures) in 5 minutes. */
    readonly api5xxPer5Min: number;
    /** API Gateway stage `Latency` p99, in milliseconds. */
    readonly apiLatencyP99Ms: number;
    /** Function `Duration` p99 alarms at this percentage of the function's timeout. */
    readonly durationP99PercentOfTimeout: number;
    /** Consecutive 5-minute periods a p99 (latency, duration) must breach before it alarms. */
    readonly latencyEvaluationPeriods: number;
  };

  readonly auth: {
    /** Confirm registrations at once (no e-mail code). */
    readonly autoConfirmSignUp: boolean;
    readonly mfa: 'off' | 'optional';
    readonly deletionProtection: boolean;
    /**
     * Cognito threat protection (compromised credentials, adaptive authentication). Anything but `off`
     * needs the Plus feature plan, billed per monthly active user.
     */
    readonly threatProtection: 'off' | 'audit' | 'enforced';
  };
}

export interface ScheduleWindow {
  /** `cron(...)` or `rate(...)`, as EventBridge Scheduler takes it. */
  readonly expression: string;
  /** IANA time zone of a cron expression. */
  readonly timeZone: string;
  readonly description: string;
}

const REGION = 'ap-south-1';
/** 10 minutes to pay; free delivery from ₹199, else ₹30. */
const ORDERS: StageConfig['orders'] = {
  reservationTtlSeconds: 600,
  freeDeliveryThresholdPaise: 19_900,
  deliveryFeePaise: 3_000,
};
/**
 * Replace within 48 hours of delivery; dairy and fresh produce within 24; no exchanges of what cannot be
 * judged after opening (slugs of the seeded catalogue; a subcategory inherits its parent's). The rules approve up to ₹500 and fewer than 3 exchanges in 30 days, except for
 * quality, which a person always reviews.
 */
const EXCHANGES: ExchangeRules = {
  windowHours: 48,
  categoryWindowHours: { 'dairy-bread-and-eggs': 24, 'fruits-and-vegetables': 24, 'meat-and-fish': 24 },
  // Opened hygiene products cannot be resold or judged: refunds go through support, not an exchange.
  notExchangeable: ['personal-care'],
  autoApprove: { maxValuePaise: 50_000, maxRecentExchanges: 3, periodDays: 30, reviewedReasons: ['quality'] },
};
/** Throw-away stages write push, email and WhatsApp to the outbox instead of sending. */
const OUTBOX_NOTIFICATIONS: StageConfig['notifications'] = {
  delivery: 'outbox',
  email: { identity: 'dev.zepto.invalid', fromAddress: 'notifications@dev.zepto.invalid' },
  push: {},
};
/** Stripe's API, 2 s per call (the seed's payment budget is about 5 s), retries from 2 s. */
const PAYMENTS: StageConfig['payments'] = {
  provider: 'stripe',
  providerEndpoint: 'https://api.stripe.com',
  providerTimeoutMs: 2_000,
  retryBaseSeconds: 2,
};
/** Before the evening peak (orders climb from about 18:00 IST). */
const BEFORE_EVENING_PEAK: ScheduleWindow = {
  expression: 'cron(30 17 * * ? *)',
  timeZone: 'Asia/Kolkata',
  description: 'Before the evening peak',
};
/** Before the breakfast run (about 07:00 IST). */
const BEFORE_MORNING_PEAK: ScheduleWindow = {
  expression: 'cron(30 6 * * ? *)',
  timeZone: 'Asia/Kolkata',
  description: 'Before the morning peak',
};

/** Throw-away stages: data goes with the stack, sign-ups are confirmed at once, logs are verbose. */
const dev: StageConfig = {
  name: 'dev',
  env: { region: REGION },
  data: {
    removalPolicy: 'destroy',
    pointInTimeRecovery: false,
    terminationProtection: false,
    tableDeletionProtection: false,
    encryption: 'aws-managed',
    bucketVersioning: false,
  },
  logRetentionDays: 14,
  logLevel: 'DEBUG',
  api: {
    throttle: { rateLimit: 50, burstLimit: 100 },
    publicRouteThrottle: { rateLimit: 10, burstLimit: 20 },
    wafRateLimitPer5MinPerIp: 1000,
    executionLogLevel: 'INFO',
    corsAllowOrigins: ['*'],
  },
  cache: {
    enabled: true,
    nodeType: 'cache.t4g.micro',
    evictionPolicy: 'allkeys-lru',
    replicas: 0,
    multiAz: false,
    availabilityZones: 2,
    snapshotRetentionDays: 0,
    warmUp: { topProducts: 200, windows: [BEFORE_EVENING_PEAK] },
  },
  search: { enabled: true, instanceType: 't3.small.search', instanceCount: 1 },
  orders: ORDERS,
  exchanges: EXCHANGES,
  notifications: OUTBOX_NOTIFICATIONS,
  payments: PAYMENTS,
  observability: {
    errorsPer5Min: 5,
    throttlesPer5Min: 5,
    api5xxPer5Min: 10,
    apiLatencyP99Ms: 5000,
    durationP99PercentOfTimeout: 80,
    latencyEvaluationPeriods: 3,
  },
  auth: { autoConfirmSignUp: true, mfa: 'optional', deletionProtection: false, threatProtection: 'off' },
};

/** dev as the local platform runs it: no cache, search, MFA or public-route throttling; INFO logs on a terminal. */
const local: StageConfig = {
  ...dev,
  name: 'local',
  logRetentionDays: 7,
  logLevel: 'INFO',
  api: { ...dev.api, publicRouteThrottle: undefined },
  cache: { ...dev.cache, enabled: false },
  search: { ...dev.search, enabled: false },
  auth: { ...dev.auth, mfa: 'off' },
  // The platform starts the provider simulator and puts its URL here (local/platform.ts).
  payments: {
    ...PAYMENTS,
    provider: 'simulator',
    providerEndpoint: 'http://127.0.0.1:9',
    retryBaseSeconds: 1,
  },
};

/** Stages that keep their data (retained, recoverable, encrypted with our key); sign-ups confirm by mail. */
const staging: StageConfig = {
  name: 'staging',
  env: { region: REGION },
  data: {
    removalPolicy: 'retain',
    pointInTimeRecovery: true,
    terminationProtection: false,
    tableDeletionProtection: false,
    encryption: 'customer-managed',
    bucketVersioning: true,
  },
  logRetentionDays: 30,
  logLevel: 'INFO',
  api: {
    throttle: { rateLimit: 200, burstLimit: 400 },
    publicRouteThrottle: { rateLimit: 20, burstLimit: 40 },
    wafRateLimitPer5MinPerIp: 2000,
    executionLogLevel: 'ERROR',
    corsAllowOrigins: ['*'],
  },
  cache: {
    enabled: true,
    nodeType: 'cache.t4g.small',
    evictionPolicy: 'allkeys-lfu',
    replicas: 1,
    multiAz: true,
    availabilityZones: 2,
    snapshotRetentionDays: 1,
    warmUp: { topProducts: 200, windows: [BEFORE_EVENING_PEAK] },
  },
  search: { enabled: true, instanceType: 't3.medium.search', instanceCount: 2 },
  orders: ORDERS,
  exchanges: EXCHANGES,
  notifications: {
    delivery: 'providers',
    email: { identity: 'staging.mail.zepto.in', fromAddress: 'no-reply@staging.mail.zepto.in' },
    push: { android: 'zepto-staging-fcm', ios: 'zepto-staging-apns' },
  },
  payments: PAYMENTS,
  observability: {
    errorsPer5Min: 1,
    throttlesPer5Min: 1,
    api5xxPer5Min: 5,
    apiLatencyP99Ms: 3000,
    durationP99PercentOfTimeout: 80,
    latencyEvaluationPeriods: 3,
  },
  auth: { autoConfirmSignUp: false, mfa: 'optional', deletionProtection: false, threatProtection: 'audit' },
};

/** staging plus deletion protection, production capacity, longer log retention, threat protection on. */
const prod: StageConfig = {
  ...staging,
  name: 'prod',
  data: { ...staging.data, terminationProtection: true, tableDeletionProtection: true },
  logRetentionDays: 90,
  api: {
    ...staging.api,
    throttle: { rateLimit: 1000, burstLimit: 2000 },
    publicRouteThrottle: { rateLimit: 50, burstLimit: 100 },
  },
  cache: {
    ...staging.cache,
    nodeType: 'cache.r7g.large',
    replicas: 2,
    availabilityZones: 3,
    snapshotRetentionDays: 7,
    warmUp: { topProducts: 500, windows: [BEFORE_MORNING_PEAK, BEFORE_EVENING_PEAK] },
  },
  search: {
    ...staging.search,
    instanceType: 'r7g.large.search',
    instanceCount: 3,
    dedicatedMasterType: 'm7g.large.search',
    volumeGiB: 50,
  },
  notifications: {
    delivery: 'providers',
    email: { identity: 'mail.zepto.in', fromAddress: 'no-reply@mail.zepto.in' },
    push: { android: 'zepto-prod-fcm', ios: 'zepto-prod-apns' },
  },
  observability: { ...staging.observability, apiLatencyP99Ms: 2000 },
  auth: { ...staging.auth, deletionProtection: true, threatProtection: 'enforced' },
};

const STAGES: Readonly<Record<StageName, StageConfig>> = { local, dev, staging, prod };

export const isStageName = (name: string): name is StageName =>
  (STAGE_NAMES as readonly string[]).includes(name);

/** The configuration of a stage; an unknown name is a one-line error that lists the valid ones. */
export function getStageConfig(name: string): StageConfig {
  if (!isStageName(name)) {
    throw new Error(`Unknown stage "${name}": expected one of ${STAGE_NAMES.join(', ')}`);
  }
  return STAGES[name];
}
