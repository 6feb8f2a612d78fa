import * as path from 'node:path';
import { CfnOutput, Duration, Lazy, NestedStack, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Bucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { CORS_ALLOW_HEADERS } from '../../functions/shared/http/cors';
import { isPublic } from '../../functions/shared/http/route';
import { functionEnvironment, type CallerTokenKeys } from '../app/env';
import { stageSettings } from '../app/settings';
import {
  ACCESS_TOKEN_SCOPE,
  CORS_ALLOW_METHODS,
  CORS_MAX_AGE_SECONDS,
  GATEWAY_PROBLEMS,
  gatewayProblemHeaders,
  gatewayProblemTemplate,
  type GatewayProblem,
} from '../app/gateway';
import { scheduleInputTemplate } from '../../functions/shared/schedule';
import { checkS3Triggers } from '../app/s3-triggers';
import {
  DEFAULT_STATE_MACHINE_TIMEOUT_MINUTES,
  stateMachineTasks,
  taskArnPlaceholder,
  validateStateMachines,
} from '../app/state-machines';
import { checkQueues, DEFAULT_BATCH_SIZE } from '../app/queues';
import {
  checkStreams,
  DEFAULT_STREAM_BATCH_SIZE,
  DEFAULT_STREAM_MAX_RECORD_AGE_SECONDS,
  DEFAULT_STREAM_RETRY_ATTEMPTS,
} from '../app/streams';
import {
  isHttpFunction,
  isQueueFunction,
  isS3Function,
  isScheduledFunction,
  isStreamFunction,
  type AppDef,
  type FunctionDef,
  type HttpTrigger,
} from '../app/types';
import type { ScheduleWindow, StageConfig } from '../config/stages';
import { ApiFirewall } from '../constructs/api-firewall';
import { ServiceFunction } from '../constructs/service-function';
import type { CacheAccess } from './cache-stack';
import type { SearchAccess } from './search-stack';

export interface ApiStackProps extends StackProps {
  readonly config: StageConfig;
  /**
   * The functions to render (those with an HTTP trigger become routes), the state machines whose Tasks
   * they are, and the tables (for stream triggers).
   */
  readonly definition: Pick<AppDef, 'functions' | 'queues' | 'stateMachines'> &
    Partial<Pick<AppDef, 'tables'>>;
  /** Tables, buckets and queues by logical name (from the DataStack). */
  readonly tables: Readonly<Record<string, ITable>>;
  readonly buckets: Readonly<Record<string, IBucket>>;
  readonly queues?: Readonly<Record<string, { readonly queue: IQueue }>>;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Issuer and public keys of the pool, for functions that check tokens themselves (ADR 12). */
  readonly callerTokens: CallerTokenKeys;
  /** Root the handler entries are relative to. @default the repository root */
  readonly projectRoot?: string;
  /** The cache (CacheStack), when the stage has one: functions that declare it join its VPC. */
  readonly cache?: CacheAccess;
  /** The search domain (SearchStack), when the stage has one: functions that declare `search` may use it. */
  readonly search?: SearchAccess;
  /** Schedule windows by name (`ScheduleTrigger.stageWindows`), from the stage config. */
  readonly scheduleWindows?: Readonly<Record<string, StageSchedule>>;
}

/** The windows of a named schedule on this stage (may be empty: no schedule) and the input of each run. */
export interface StageSchedule {
  readonly windows: readonly ScheduleWindow[];
  readonly input?: Readonly<Record<string, unknown>>;
}

/** Repository root: where state machine definition files are found by default. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Stateless: one ServiceFunction per function of the app definition — HTTP routes behind a REST API with a
 * Cognito authorizer and WAF, scheduled functions behind EventBridge Scheduler schedules, queue consumers
 * behind SQS event source mappings, S3-triggered functions behind bucket notifications, and the state
 * machines with their Task functions.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  /** The function of each HTTP route, by the function's logical name. */
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  /** Every function (HTTP and scheduled), by logical name. */
  readonly allFunctions: Readonly<Record<string, ServiceFunction>>;
  /** The WAF web ACL in front of the API stage. */
  readonly firewall: ApiFirewall;
  /** Every state machine of the app definition, by logical name. */
  readonly stateMachines: Readonly<Record<string, sfn.StateMachine>>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    // Fail synthesis on an ASL that names unknown functions or states, or a trigger on an unknown bucket.
    const definitions = validateStateMachines(props.definition, projectRoot);
    const s3Errors = checkS3Triggers({
      ...props.definition,
      buckets: Object.keys(props.buckets).map((name) => ({ name, description: name })),
    });
    if (s3Errors.length > 0) throw new Error(`Invalid s3 triggers:\n- ${s3Errors.join('\n- ')}`);
    checkQueues(props.definition);
    if (props.definition.tables) checkStreams({ ...props.definition, tables: props.definition.tables });
    const queues = props.queues ?? {};
    const routes = httpFunctions(props.definition.functions);
    const logRemovalPolicy =
      config.data.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as RetentionDays;

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    const methodOptions: Record<string, MethodDeploymentOptions> = {};
    if (config.api.publicRouteThrottle) {
      for (const { route } of routes.filter((r) => isPublic(r.route.auth))) {
        methodOptions[`${route.path}/${route.method}`] = {
          throttlingRateLimit: config.api.publicRouteThrottle.rateLimit,
          throttlingBurstLimit: config.api.publicRouteThrottle.burstLimit,
        };
      }
    }

    const api = new RestApi(this, 'Api', {
      description: `Zepto HTTP API (${config.name})`,
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: config.name,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel[config.api.executionLogLevel],
        dataTraceEnabled: false,
        throttlingRateLimit: config.api.throttle.rateLimit,
        throttlingBurstLimit: config.api.throttle.burstLimit,
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            extendedRequestId: AccessLogField.contextExtendedRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            path: AccessLogField.contextPath(),
            protocol: AccessLogField.contextProtocol(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            errorType: AccessLogField.contextErrorResponseType(),
            errorMessage: AccessLogField.contextErrorMessageString(),
            userSub: AccessLogField.contextAuthorizerClaims('sub'),
            wafStatus: AccessLogField.contextWafResponseCode(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
          }),
        ),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...config.api.corsAllowOrigins],
        allowMethods: [...CORS_ALLOW_METHODS],
        allowHeaders: [...CORS_ALLOW_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      },
    });
    this.api = api;

    const allowOrigin = config.api.corsAllowOrigins.includes('*')
      ? '*'
      : (config.api.corsAllowOrigins[0] ?? '*');
    for (const [type, problem] of Object.entries<GatewayProblem>(GATEWAY_PROBLEMS)) {
      api.addGatewayResponse(`Problem${type}`, {
        type: ResponseType.of(type),
        statusCode: problem.status?.toString(),
        responseHeaders: mapValues(gatewayProblemHeaders(allowOrigin), (value) => `'${value}'`),
        templates: { 'application/json': gatewayProblemTemplate(problem) },
      });
    }

    let authorizer: CognitoUserPoolsAuthorizer | undefined;
    // The machines are created after the functions (their definitions name the functions' ARNs); a caller's
    // environment takes the machine ARN lazily.
    const stateMachines: Record<string, sfn.StateMachine> = {};
    const resolved = {
      stage: config.name,
      tableNames: mapValues(props.tables, (t) => t.tableName),
      bucketNames: mapValues(props.buckets, (b) => b.bucketName),
      stateMachineArns: Object.fromEntries(
        (props.definition.stateMachines ?? []).map((def) => [
          def.name,
          Lazy.string({ produce: () => stateMachines[def.name]!.stateMachineArn }),
        ]),
      ),
      queueUrls: mapValues(queues, (q) => q.queue.queueUrl),
      userPool: { id: props.userPool.userPoolId, clientId: props.userPoolClient.userPoolClientId },
      autoConfirmSignUp: config.auth.autoConfirmSignUp,
      logLevel: config.logLevel,
      callerTokens: props.callerTokens,
      settings: stageSettings(config),
      cache: props.cache && {
        endpoint: props.cache.endpoint,
        tls: props.cache.tls,
        authSecretArn: props.cache.authSecret.secretArn,
      },
      search: props.search && { engine: 'opensearch' as const, endpoint: props.search.endpoint },
    };

    const allFunctions: Record<string, ServiceFunction> = {};
    // Each service's functions, with their roles, log groups, event sources and schedules, live in a nested
    // stack of their own: one stack would pass CloudFormation's 500 resources and 1 MB template (ADR 17).
    const serviceStacks = new Map<string, NestedStack>();
    const serviceStack = (service: string): NestedStack => {
      let stack = serviceStacks.get(service);
      if (!stack) {
        stack = new NestedStack(this, `${pascalCase(service)}Functions`, {
          description: `Zepto ${config.name}: the ${service} service's functions`,
        });
        serviceStacks.set(service, stack);
      }
      return stack;
    };
    for (const fn of props.definition.functions) {
      const cache = fn.cache ? props.cache : undefined;
      const searchNetwork = fn.search ? props.search?.network : undefined;
      // A function in the VPC (for the cache, the search domain, or both) gets each one's client group.
      const network = cache
        ? {
            vpc: cache.vpc,
            vpcSubnets: cache.subnets,
            securityGroups: [
              cache.clientSecurityGroup,
              ...(searchNetwork ? [searchNetwork.clientSecurityGroup] : []),
            ],
          }
        : searchNetwork
          ? {
              vpc: searchNetwork.vpc,
              vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
              securityGroups: [searchNetwork.clientSecurityGroup],
            }
          : undefined;
      const handler = new ServiceFunction(serviceStack(fn.service), fn.name, {
        entry: fn.entry,
        description: fn.description,
        environment: functionEnvironment(fn, resolved),
        logRetention,
        logRemovalPolicy,
        logLevel: config.logLevel,
        memoryMb: fn.memoryMb,
        timeoutSeconds: fn.timeoutSeconds,
        projectRoot: props.projectRoot,
        // Only functions that declare the cache (or search, when the domain is in the VPC) join the VPC;
        // the others keep Lambda's own networking.
        ...(network ?? {}),
      });
      if (fn.search && props.search) handler.bindSearch(props.search.domain, fn.search);
      for (const [name, access] of Object.entries(fn.tables ?? {})) {
        handler.bindTable(lookup(props.tables, name, `${fn.name} declares unknown table`), access);
      }
      for (const [name, access] of Object.entries(fn.buckets ?? {})) {
        handler.bindBucket(lookup(props.buckets, name, `${fn.name} declares unknown bucket`), access);
      }
      for (const [name, access] of Object.entries(fn.queues ?? {})) {
        handler.bindQueue(lookup(queues, name, `${fn.name} declares unknown queue`).queue, access);
      }
      if (fn.userPool) handler.bindUserPool(props.userPool, fn.userPool);
      if (cache) handler.bindCache(cache.authSecret);
      if (network) {
        NagSuppressions.addResourceSuppressions(
          handler,
          [
            {
              id: 'AwsSolutions-IAM4',
              reason:
                'A function in a VPC needs the ENI actions of AWSLambdaVPCAccessExecutionRole (ec2:*NetworkInterface*), which take no resource scoping',
              appliesTo: [
                'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
              ],
            },
          ],
          true,
        );
      }
      allFunctions[fn.name] = handler;
    }
    this.allFunctions = allFunctions;

    this.renderSchedules(props, allFunctions);
    this.renderS3Triggers(props, allFunctions);
    this.stateMachines = stateMachines;
    for (const def of props.definition.stateMachines ?? []) {
      const tasks = stateMachineTasks(props.definition, def.name);
      const checked = definitions.get(def.name)!;
      // In the stack of its Tasks' service: the machine names the Tasks and their service's functions start
      // it, so anywhere else the two stacks would refer to each other.
      const scope = tasks.length > 0 ? Stack.of(allFunctions[tasks[0]!.name]!) : this;
      const logs = new LogGroup(scope, `${def.name}Logs`, {
        retention: logRetention,
        removalPolicy: logRemovalPolicy,
      });
      const machine = new sfn.StateMachine(scope, def.name, {
        stateMachineType: sfn.StateMachineType.STANDARD,
        // The file's ASL as it is, with the declared timeout (DefinitionBody.fromFile would ship it as an S3
        // asset and cannot take a timeout, ADR 13); the Task ARNs are definition substitutions.
        definitionBody: sfn.DefinitionBody.fromString(
          JSON.stringify({
            ...checked.asl,
            TimeoutSeconds: (def.timeoutMinutes ?? DEFAULT_STATE_MACHINE_TIMEOUT_MINUTES) * 60,
          }),
        ),
        definitionSubstitutions: Object.fromEntries(
          tasks.map((fn) => [taskArnPlaceholder(fn.name), allFunctions[fn.name]!.functionArn]),
        ),
        // Every state transition is logged, never its input or output (merchant data, object keys).
        logs: { destination: logs, level: sfn.LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      });
      machine.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: tasks.map((fn) => allFunctions[fn.name]!.functionArn),
        }),
      );
      NagSuppressions.addResourceSuppressions(
        machine,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'Log delivery (logs:CreateLogDelivery, ...) and X-Ray (xray:PutTraceSegments, ...) support no resource-level permissions (Resource: *)',
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
      for (const fn of tasks)
        NagSuppressions.addResourceSuppressions(allFunctions[fn.name]!, [
          {
            id: 'Serverless-LambdaDLQ',
            reason: `A Task of ${def.name}, invoked synchronously: failures go back to the execution (Retry/Catch), and failed executions alarm`,
          },
        ]);
      stateMachines[def.name] = machine;
    }
    for (const fn of props.definition.functions)
      for (const name of Object.keys(fn.stateMachines ?? {}))
        allFunctions[fn.name]!.bindStateMachine(stateMachines[name]!);
    this.renderQueueConsumers(props, allFunctions, queues);
    this.renderStreamConsumers(props, allFunctions, queues);

    const functions: Record<string, ServiceFunction> = {};
    const seen = new Set<string>();
    for (const { fn, route } of routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`Two functions declare the route ${key} (the second is ${fn.name})`);
      seen.add(key);
      const handler = allFunctions[fn.name]!;
      NagSuppressions.addResourceSuppressions(handler, [
        {
          id: 'Serverless-LambdaDLQ',
          reason:
            'Invoked synchronously by API Gateway: failures go back to the caller, there is no event to dead-letter',
        },
      ]);
      functions[fn.name] = handler;

      const resource = api.root.resourceForPath(route.path.replace(/^\//, ''));
      const integration = new LambdaIntegration(handler, { allowTestInvoke: false });
      if (isPublic(route.auth)) {
        const method = resource.addMethod(route.method, integration, {
          authorizationType: AuthorizationType.NONE,
        });
        NagSuppressions.addResourceSuppressions(method, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `Public route by its contract (${key}): callers have no token yet`,
          },
          {
            id: 'AwsSolutions-COG4',
            reason: `Public route by its contract (${key}): callers have no token yet`,
          },
        ]);
      } else {
        authorizer ??= new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
          cognitoUserPools: [props.userPool],
          resultsCacheTtl: Duration.minutes(5),
        });
        resource.addMethod(route.method, integration, {
          authorizationType: AuthorizationType.COGNITO,
          authorizer,
          authorizationScopes: [ACCESS_TOKEN_SCOPE],
        });
      }
    }
    this.functions = functions;

    for (const method of api.methods.filter((m) => m.httpMethod === 'OPTIONS')) {
      NagSuppressions.addResourceSuppressions(method, [
        {
          id: 'AwsSolutions-APIG4',
          reason: 'CORS preflight (OPTIONS) carries no credentials by the Fetch standard',
        },
      ]);
    }
    NagSuppressions.addResourceSuppressions(api, [
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Every handler validates body, path, query and headers with zod and answers problem+json errors[]',
      },
    ]);
    NagSuppressions.addResourceSuppressions(
      api,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason:
            'The account-level API Gateway logging role needs the AWS managed AmazonAPIGatewayPushToCloudWatchLogs',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
          ],
        },
      ],
      true,
    );

    this.firewall = new ApiFirewall(this, 'Firewall', {
      resourceArn: api.deploymentStage.stageArn,
      rateLimitPer5MinPerIp: config.api.wafRateLimitPer5MinPerIp,
      metricPrefix: `Zepto${config.name}`,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.url });
  }

  /**
   * Bucket notifications (ObjectCreated under prefix/suffix) to each S3-triggered function. The buckets
   * live in the data stack; the notification is rendered here, on the bucket imported by name and ARN
   * (weak references, ADR 6), through CDK's BucketNotifications custom resource (unmanaged: it merges with
   * the bucket's other configurations) and a Lambda permission for s3.amazonaws.com from that bucket and
   * this account, so the data stack never refers to a function (ADR 13). The function may read the
   * objects under the prefix; async invocations are retried twice (Lambda's default, made explicit).
   */
  private renderS3Triggers(props: ApiStackProps, functions: Readonly<Record<string, ServiceFunction>>): void {
    const imported = new Map<string, IBucket>();
    for (const fn of props.definition.functions.filter(isS3Function)) {
      const handler = functions[fn.name]!;
      const { bucket: name, prefix, suffix } = fn.trigger;
      const bucket = lookup(props.buckets, name, `${fn.name} has an s3 trigger on unknown bucket`);
      handler.bindBucketEvents(bucket, prefix);
      let ref = imported.get(name);
      if (!ref) {
        ref = Bucket.fromBucketAttributes(this, `${name}Notifications`, {
          bucketArn: bucket.bucketArn,
          bucketName: bucket.bucketName,
        });
        imported.set(name, ref);
      }
      ref.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(handler), {
        ...(prefix ? { prefix } : {}),
        ...(suffix ? { suffix } : {}),
      });
      handler.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
      const redrive =
        'S3 notifications are retried twice by Lambda, then dropped: the object stays in the bucket, so a failed one is redriven by copying it onto itself, and the Errors alarm says when (an on-failure queue can come with the queues)';
      NagSuppressions.addResourceSuppressions(
        handler,
        [
          { id: 'Serverless-LambdaDLQ', reason: redrive },
          { id: 'Serverless-LambdaAsyncFailureDestination', reason: redrive },
        ],
        true,
      );
    }
    const notifier = this.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifier) {
      const cdkOwned =
        'CDK BucketNotifications custom resource handler (runs at deploy time only, written by CDK)';
      NagSuppressions.addResourceSuppressions(
        notifier,
        [
          {
            id: 'AwsSolutions-IAM4',
            reason: `${cdkOwned}: uses AWSLambdaBasicExecutionRole`,
            appliesTo: [
              'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            ],
          },
          {
            id: 'AwsSolutions-IAM5',
            reason: `${cdkOwned}: s3:PutBucketNotification takes the bucket from the request (Resource: *)`,
            appliesTo: ['Resource::*'],
          },
        ],
        true,
      );
    }
  }

  /**
   * One SQS event source mapping per queue trigger, reporting partial batch failures: only the failed
   * messages come back, and after the queue's maxReceiveCount they wait in its DLQ (alarmed).
   */
  private renderQueueConsumers(
    props: ApiStackProps,
    functions: Readonly<Record<string, ServiceFunction>>,
    queues: Readonly<Record<string, { readonly queue: IQueue }>>,
  ): void {
    for (const fn of props.definition.functions.filter(isQueueFunction)) {
      const { trigger } = fn;
      const handler = functions[fn.name]!;
      const { queue } = lookup(queues, trigger.queue, `${fn.name} consumes unknown queue`);
      handler.addEventSource(
        new SqsEventSource(queue, {
          batchSize: trigger.batchSize ?? DEFAULT_BATCH_SIZE,
          maxBatchingWindow:
            trigger.maxBatchingWindowSeconds === undefined
              ? undefined
              : Duration.seconds(trigger.maxBatchingWindowSeconds),
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      NagSuppressions.addResourceSuppressions(
        handler,
        [
          {
            id: 'Serverless-LambdaDLQ',
            reason: `Consumes ${trigger.queue}: failed messages go to that queue's dead-letter queue, not a Lambda DLQ`,
          },
          {
            id: 'Serverless-LambdaEventSourceMappingDestination',
            reason: `Lambda has no on-failure destination for SQS sources: ${trigger.queue}'s redrive policy moves what fails for good to its DLQ (alarmed)`,
          },
        ],
        true,
      );
    }
  }

  /**
   * One DynamoDB Streams event source mapping per stream trigger: partial batch failures reported by sequence
   * number, a failing batch split in two (bisect), bounded retries and record age, then the batch's metadata
   * to the trigger's on-failure queue (alarmed by the observability stack).
   */
  private renderStreamConsumers(
    props: ApiStackProps,
    functions: Readonly<Record<string, ServiceFunction>>,
    queues: Readonly<Record<string, { readonly queue: IQueue }>>,
  ): void {
    for (const fn of props.definition.functions.filter(isStreamFunction)) {
      const { trigger } = fn;
      const handler = functions[fn.name]!;
      const table = lookup(props.tables, trigger.table, `${fn.name} reads unknown table`);
      const { queue } = lookup(queues, trigger.onFailure, `${fn.name} names unknown queue`);
      handler.addEventSource(
        new DynamoEventSource(table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: trigger.batchSize ?? DEFAULT_STREAM_BATCH_SIZE,
          maxBatchingWindow:
            trigger.maxBatchingWindowSeconds === undefined
              ? undefined
              : Duration.seconds(trigger.maxBatchingWindowSeconds),
          bisectBatchOnError: trigger.bisectOnError ?? true,
          retryAttempts: trigger.retryAttempts ?? DEFAULT_STREAM_RETRY_ATTEMPTS,
          maxRecordAge: Duration.seconds(
            trigger.maxRecordAgeSeconds ?? DEFAULT_STREAM_MAX_RECORD_AGE_SECONDS,
          ),
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(queue),
        }),
      );
      NagSuppressions.addResourceSuppressions(handler, [
        {
          id: 'Serverless-LambdaDLQ',
          reason: `Reads the ${trigger.table} stream: failed batches go to the event source's on-failure destination ${trigger.onFailure}, not a Lambda DLQ`,
        },
      ]);
    }
  }

  /**
   * One AWS::Scheduler::Schedule per window of each scheduled function, each with its own role that may
   * invoke that function only, and a retry policy (runs are idempotent; a run older than its window is
   * dropped rather than retried late).
   */
  private renderSchedules(props: ApiStackProps, functions: Readonly<Record<string, ServiceFunction>>): void {
    for (const fn of props.definition.functions.filter(isScheduledFunction)) {
      const handler = functions[fn.name]!;
      const { trigger } = fn;
      const stage = trigger.stageWindows ? props.scheduleWindows?.[trigger.stageWindows] : undefined;
      const windows: readonly ScheduleWindow[] = stage
        ? stage.windows
        : [
            {
              expression: trigger.expression,
              timeZone: trigger.timeZone ?? 'UTC',
              description: trigger.description,
            },
          ];
      NagSuppressions.addResourceSuppressions(handler, [
        {
          id: 'Serverless-LambdaDLQ',
          reason:
            'Scheduled and idempotent: a failed run is retried by Lambda, alarmed by Errors, and superseded by the next window',
        },
      ]);
      if (windows.length === 0) continue;

      // Beside the function, in its service's stack.
      const scope = Stack.of(handler);
      const role = new iam.Role(scope, `${fn.name}ScheduleRole`, {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': scope.account } },
        }),
        description: `EventBridge Scheduler: invokes ${fn.name} only`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [handler.functionArn] }),
      );
      windows.forEach((window, i) => {
        new CfnSchedule(scope, `${fn.name}Schedule${i === 0 ? '' : i + 1}`, {
          description: `${window.description} (${fn.name})`,
          scheduleExpression: window.expression,
          scheduleExpressionTimezone: window.timeZone,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: handler.functionArn,
            roleArn: role.roleArn,
            input: scheduleInputTemplate(stage?.input),
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 15 * 60 },
          },
        });
      });
    }
  }
}

/** The functions with an HTTP trigger, with their route. */
export function httpFunctions(
  functions: readonly FunctionDef[],
): { fn: FunctionDef; route: HttpTrigger['route'] }[] {
  return functions.filter(isHttpFunction).map((fn) => ({ fn, route: fn.trigger.route }));
}

function lookup<T>(record: Readonly<Record<string, T>>, name: string, message: string): T {
  const value = record[name];
  if (value === undefined)
    throw new Error(`${message} ${name} (known: ${Object.keys(record).join(', ') || 'none'})`);
  return value;
}

function pascalCase(name: string): string {
  return name.replace(/(^|[-_])([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

function mapValues<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
