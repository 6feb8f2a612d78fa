import { Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppDef } from '../app/types';
import type { StageConfig } from '../config/stages';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { CacheStack } from './cache-stack';
import { DataStack } from './data-stack';
import { NotificationChannels } from '../constructs/notification-channels';
import { EMAIL_FEEDBACK_QUEUE } from '../app/services/notifications';
import { ObservabilityStack } from './observability-stack';
import { SearchStack } from './search-stack';
import { bindFunctionExtras } from '../constructs/function-extras';
import { isStreamFunction } from '../app/types';

export interface ZeptoProps {
  readonly config: StageConfig;
  readonly definition: AppDef;
  /** Run the cdk-nag AwsSolutions and Serverless packs as aspects. @default true */
  readonly nag?: boolean;
  /** Write cdk-nag CSV reports into the cloud assembly. @default true */
  readonly nagReports?: boolean;
  /** Root the handler entries are relative to. @default the repository root */
  readonly projectRoot?: string;
}

export interface Zepto {
  readonly data: DataStack;
  readonly auth: AuthStack;
  /** Absent when the stage turns the cache off. */
  readonly cache?: CacheStack;
  /** Absent when the stage turns search off. */
  readonly search?: SearchStack;
  readonly api: ApiStack;
  readonly observability: ObservabilityStack;
}

/**
 * Renders the app definition for one stage: stateful stacks (data, auth) apart from the stateless API
 * and observability (alarms, alarm topic, dashboard).
 * Stacks are named `zepto-<stage>-<part>`; resources get generated physical names.
 */
export function buildZepto(scope: Construct, props: ZeptoProps): Zepto {
  const { config, definition } = props;
  const env = { account: config.env.account, region: config.env.region };
  const stackName = (part: string): string => `zepto-${config.name}-${part}`;
  const stateful = { env, terminationProtection: config.data.terminationProtection };

  const data = new DataStack(scope, stackName('data'), {
    ...stateful,
    description: `Zepto ${config.name}: tables, buckets and queues (stateful)`,
    definition,
    data: config.data,
    accessLogExpirationDays: Math.max(config.logRetentionDays, 30),
    corsAllowOrigins: config.api.corsAllowOrigins,
  });
  const auth = new AuthStack(scope, stackName('auth'), {
    ...stateful,
    description: `Zepto ${config.name}: Cognito user pool (stateful)`,
    definition: definition.userPool,
    auth: config.auth,
    removalPolicy: config.data.removalPolicy,
    logRetention: config.logRetentionDays as RetentionDays,
  });
  const cache = config.cache.enabled
    ? new CacheStack(scope, stackName('cache'), {
        ...stateful,
        description: `Zepto ${config.name}: cache, its VPC and AUTH secret (stateful)`,
        cache: config.cache,
        endpoints: cacheEndpoints(definition),
        removalPolicy: config.data.removalPolicy,
        encryption: config.data.encryption,
        logRetention: config.logRetentionDays as RetentionDays,
      })
    : undefined;
  const search = config.search.enabled
    ? new SearchStack(scope, stackName('search'), {
        ...stateful,
        description: `Zepto ${config.name}: product search domain (stateful)`,
        search: config.search,
        vpc: cache?.access.vpc,
        removalPolicy: config.data.removalPolicy,
        encryptionKey: data.encryptionKey,
        logRetention: config.logRetentionDays as RetentionDays,
      })
    : undefined;
  const api = new ApiStack(scope, stackName('api'), {
    env,
    description: `Zepto ${config.name}: REST API and its functions (stateless)`,
    config,
    definition,
    tables: data.tables,
    buckets: data.buckets,
    queues: data.queues,
    userPool: auth.userPool,
    userPoolClient: auth.userPoolClient,
    callerTokens: auth.callerTokens,
    projectRoot: props.projectRoot,
    cache: cache?.access,
    search: search?.access,
    scheduleWindows: {
      // No cache, nothing to warm: the stage gets no warm-up schedule.
      cacheWarmUp: {
        windows: config.cache.enabled ? config.cache.warmUp.windows : [],
        input: { topProducts: config.cache.warmUp.topProducts },
      },
    },
  });
  // The notification providers (SES configuration set, feedback topic) are stateful: in the data stack, with
  // the grants in the functions' own policies.
  const feedbackQueue = data.queues[EMAIL_FEEDBACK_QUEUE];
  if (feedbackQueue)
    new NotificationChannels(data, 'NotificationChannels', {
      config: config.notifications,
      definition: definition.functions,
      functions: api.allFunctions,
      feedbackQueue: feedbackQueue.queue,
      feedbackDeadLetterQueue: feedbackQueue.deadLetterQueue,
    });
  // Secrets and queue depths: bound once the functions exist, from the same app definition.
  bindFunctionExtras({
    definition,
    functions: api.allFunctions,
    secrets: data.secrets,
    encryptionKey: data.encryptionKey,
    queues: data.queues,
  });
  const observability = new ObservabilityStack(scope, stackName('observability'), {
    env,
    description: `Zepto ${config.name}: alarms, alarm topic and dashboard (stateless)`,
    stageName: config.name,
    definition,
    functions: api.functions,
    allFunctions: api.allFunctions,
    stateMachines: api.stateMachines,
    deadLetterQueues: deadLetterQueues(data.queues),
    failureDestinations: failureDestinations(definition, data.queues),
    api: api.api,
    firewall: api.firewall,
    thresholds: config.observability,
    alarmEmail: config.alarmEmail,
  });

  Tags.of(scope).add('project', 'zepto');
  Tags.of(scope).add('stage', config.name);
  if (props.nag ?? true) {
    const reports = props.nagReports ?? true;
    Aspects.of(scope).add(new AwsSolutionsChecks({ verbose: true, reports }));
    Aspects.of(scope).add(new ServerlessChecks({ verbose: true, reports }));
  }
  return { data, auth, cache, search, api, observability };
}

/** The queues that are on-failure destinations of stream triggers: any message there is a lost batch. */
function failureDestinations(definition: AppDef, queues: DataStack['queues']): Record<string, IQueue> {
  const names = new Set(definition.functions.filter(isStreamFunction).map((fn) => fn.trigger.onFailure));
  return Object.fromEntries(
    Object.entries(queues)
      .filter(([name]) => names.has(name))
      .map(([name, q]) => [name, q.queue]),
  );
}

function deadLetterQueues(queues: DataStack['queues']): Record<string, IQueue> {
  return Object.fromEntries(Object.entries(queues).map(([name, q]) => [name, q.deadLetterQueue]));
}

/**
 * The gateway endpoints the VPC needs: what the functions inside it (those declaring the cache) touch.
 * Anything without an endpoint here would hang inside isolated subnets, so it is refused at synth.
 */
export function cacheEndpoints(definition: Pick<AppDef, 'functions'>): {
  dynamodb: boolean;
  s3: boolean;
  sqs: boolean;
} {
  // Functions that declare search join the VPC too (the domain lives there when the stage has a cache).
  const inVpc = definition.functions.filter((fn) => fn.cache || fn.search);
  const noEndpoint = inVpc.filter((fn) => fn.userPool);
  if (noEndpoint.length > 0)
    throw new Error(
      `Functions in the cache VPC cannot reach Cognito (no endpoint): ${noEndpoint.map((f) => f.name).join(', ')}`,
    );
  return {
    dynamodb: inVpc.some((fn) => Object.keys(fn.tables ?? {}).length > 0),
    s3: inVpc.some((fn) => Object.keys(fn.buckets ?? {}).length > 0),
    // Checkout, cancellation and the sweeper (the outbox relay) send to queues from inside the VPC.
    sqs: inVpc.some((fn) => Object.keys(fn.queues ?? {}).length > 0),
  };
}
