import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AlarmStatusWidget,
  type Alarm,
  Dashboard,
  GraphWidget,
  type IMetric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEFAULT_TIMEOUT_SECONDS } from '../app/defaults';
import type { AppDef, FunctionDef } from '../app/types';
import type { StageConfig } from '../config/stages';
import { AlarmTopic } from '../constructs/alarm-topic';
import type { ApiFirewall } from '../constructs/api-firewall';
import {
  coldStartMetric,
  PERIOD,
  RouteAlarms,
  type RouteOutcome,
  functionMetric,
  routeOutcomeMetric,
  thresholdAlarm,
} from '../constructs/route-alarms';
import type { ServiceFunction } from '../constructs/service-function';
import { httpFunctions } from './api-stack';

export interface ObservabilityStackProps extends StackProps {
  /** Shown on the dashboard. */
  readonly stageName: string;
  /** The functions to watch; each HTTP route gets its alarms and graph lines. */
  readonly definition: Pick<AppDef, 'functions'>;
  /** The function of each route by logical name (from the ApiStack). */
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  readonly api: RestApi;
  readonly firewall: ApiFirewall;
  /** Every function by logical name (from the ApiStack); S3-triggered ones get an Errors alarm. */
  readonly allFunctions?: Readonly<Record<string, ServiceFunction>>;
  /** The state machines by logical name; each gets failed / timed-out / aborted execution alarms. */
  readonly stateMachines?: Readonly<Record<string, IStateMachine>>;
  /** The dead-letter queue of each queue, by the queue's logical name: any message in one alarms. */
  readonly deadLetterQueues?: Readonly<Record<string, IQueue>>;
  /** On-failure destinations of stream triggers, by queue name: any message is a batch that failed for good. */
  readonly failureDestinations?: Readonly<Record<string, IQueue>>;
  /** Alarm thresholds. */
  readonly thresholds: StageConfig['observability'];
  /** Subscribe this address to the alarm topic; no subscription when absent. */
  readonly alarmEmail?: string;
}

/**
 * Stateless: the alarm topic, the alarms of every HTTP route and of the API stage, and one dashboard.
 * Metrics and thresholds come from the app definition and the props; nothing here tests the stage.
 */
export class ObservabilityStack extends Stack {
  readonly alarmTopic: AlarmTopic;
  readonly dashboard: Dashboard;
  /** The alarms of each route, by the function's logical name. */
  readonly routeAlarms: Readonly<Record<string, RouteAlarms>>;
  /** The alarms of each state machine (ExecutionsFailed, ExecutionsTimedOut, ExecutionsAborted), by name. */
  readonly stateMachineAlarms: Readonly<Record<string, readonly Alarm[]>>;
  /** The Errors alarm of each function no caller waits for (S3, queue and schedule triggers), by name. */
  readonly eventFunctionAlarms: Readonly<Record<string, Alarm>>;
  /** One alarm per dead-letter queue, by the queue's logical name. */
  readonly deadLetterAlarms: Readonly<Record<string, Alarm>>;
  /**
   * Alarms on metrics the functions emit: `CacheError` of every function with the cache, and each
   * function's `metricAlarms`; by `<function><metric>` (one per metric series: functions without a route
   * that share a service share one).
   */
  readonly metricAlarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { thresholds } = props;
    this.alarmTopic = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    const action = new SnsAction(this.alarmTopic.topic);

    const routes = httpFunctions(props.definition.functions).map(({ fn, route }) => {
      const handler = props.functions[fn.name];
      if (!handler) throw new Error(`No deployed function for ${fn.name}`);
      const dimensions = { service: fn.service, stage: props.stageName };
      return { name: fn.name, dimensions, route: `${route.method} ${route.path}`, handler };
    });

    const routeAlarms: Record<string, RouteAlarms> = {};
    for (const { name, dimensions, route, handler } of routes) {
      routeAlarms[name] = new RouteAlarms(this, name, {
        fn: handler,
        dimensions,
        route,
        timeout: handler.timeout ?? Duration.seconds(DEFAULT_TIMEOUT_SECONDS),
        action,
        errorsPer5Min: thresholds.errorsPer5Min,
        throttlesPer5Min: thresholds.throttlesPer5Min,
        durationP99PercentOfTimeout: thresholds.durationP99PercentOfTimeout,
        durationEvaluationPeriods: thresholds.latencyEvaluationPeriods,
      });
    }
    this.routeAlarms = routeAlarms;

    // A message in a DLQ is work that failed every delivery: someone must look at it (and redrive it).
    const deadLetterAlarms: Record<string, Alarm> = {};
    const dlqDepth = (dlq: IQueue, label?: string) =>
      dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM, label });
    for (const [name, dlq] of Object.entries(props.deadLetterQueues ?? {})) {
      deadLetterAlarms[name] = thresholdAlarm(this, `${name}DeadLetters`, dlqDepth(dlq), action, {
        description: `${name}: messages in its dead-letter queue (failed every delivery)`,
        threshold: 1,
      });
    }
    for (const [name, queue] of Object.entries(props.failureDestinations ?? {})) {
      deadLetterAlarms[`${name}Queue`] = thresholdAlarm(
        this,
        `${name}FailedBatches`,
        dlqDepth(queue),
        action,
        {
          description: `${name}: stream batches that failed every retry (replay them with npm run search:reindex)`,
          threshold: 1,
        },
      );
    }
    this.deadLetterAlarms = deadLetterAlarms;

    // Stage-level API metrics (dimensions ApiName + Stage).
    const stage = props.api.deploymentStage;
    const api5xx = thresholdAlarm(
      this,
      'Api5xx',
      stage.metricServerError({ period: PERIOD, statistic: Stats.SUM }),
      action,
      {
        description: `API stage ${stage.stageName}: ${thresholds.api5xxPer5Min}+ 5xx responses in 5 minutes`,
        threshold: thresholds.api5xxPer5Min,
      },
    );
    const apiLatency = thresholdAlarm(
      this,
      'ApiLatencyP99',
      stage.metricLatency({ period: PERIOD, statistic: Stats.p(99) }),
      action,
      {
        description:
          `API stage ${stage.stageName}: p99 latency at or above ${thresholds.apiLatencyP99Ms} ms ` +
          `for ${thresholds.latencyEvaluationPeriods} x 5 minutes`,
        threshold: thresholds.apiLatencyP99Ms,
        evaluationPeriods: thresholds.latencyEvaluationPeriods,
      },
    );

    // Any failed, timed-out or aborted execution is worth a look: each leaves work undone or half done.
    const stateMachineAlarms: Record<string, Alarm[]> = {};
    for (const [name, machine] of Object.entries(props.stateMachines ?? {})) {
      const outcomes = [
        ['ExecutionsFailed', 'failed', machine.metricFailed({ period: PERIOD, statistic: Stats.SUM })],
        ['ExecutionsTimedOut', 'timed out', machine.metricTimedOut({ period: PERIOD, statistic: Stats.SUM })],
        ['ExecutionsAborted', 'aborted', machine.metricAborted({ period: PERIOD, statistic: Stats.SUM })],
      ] as const;
      stateMachineAlarms[name] = outcomes.map(([metric, label, m]) =>
        thresholdAlarm(this, `${name}${metric}`, m, action, {
          description: `State machine ${name}: an execution ${label} in 5 minutes`,
          threshold: 1,
        }),
      );
    }
    this.stateMachineAlarms = stateMachineAlarms;
    const eventFunctionAlarms: Record<string, Alarm> = {};
    // Functions no caller waits for: a failed run is seen only here (Task functions fail their execution,
    // which has its own alarms; routes have theirs).
    const unattended = props.definition.functions.filter(
      (fn) => fn.trigger.kind !== 'http' && fn.trigger.kind !== 'stateMachine',
    );
    for (const fn of unattended) {
      const handler = props.allFunctions?.[fn.name];
      if (!handler) continue;
      eventFunctionAlarms[fn.name] = thresholdAlarm(
        this,
        `${fn.name}Errors`,
        handler.metricErrors({ period: PERIOD, statistic: Stats.SUM }),
        action,
        {
          description: `${fn.name} (${triggerLabel(fn)}): ${thresholds.errorsPer5Min}+ failed invocations in 5 minutes`,
          threshold: thresholds.errorsPer5Min,
        },
      );
    }
    this.eventFunctionAlarms = eventFunctionAlarms;

    // Degraded but answering: nothing fails, so only the functions' own metrics show it.
    const routeOf = new Map(routes.map((r) => [r.name, r.route]));
    const metricAlarms: Record<string, Alarm> = {};
    const series = new Set<string>();
    for (const fn of props.definition.functions) {
      const declared = [
        ...(fn.cache
          ? [
              {
                metric: 'CacheError',
                description: `${thresholds.errorsPer5Min}+ Redis errors or timeouts in 5 minutes: reads are served from DynamoDB (docs/operations.md, cache)`,
                threshold: thresholds.errorsPer5Min,
              },
            ]
          : []),
        ...(fn.metricAlarms ?? []),
      ];
      const route = routeOf.get(fn.name);
      for (const { metric, description, threshold } of declared) {
        const key = `${metric} ${fn.service} ${route ?? ''}`;
        if (series.has(key)) continue;
        series.add(key);
        metricAlarms[`${fn.name}${metric}`] = thresholdAlarm(
          this,
          `${fn.name}${metric}`,
          functionMetric(metric, { service: fn.service, stage: props.stageName }, route),
          action,
          { description: `${route ?? fn.service}: ${description}`, threshold: threshold ?? 1 },
        );
      }
    }
    this.metricAlarms = metricAlarms;

    const graph = (title: string, left: IMetric[], width = 8): GraphWidget =>
      new GraphWidget({ title, left, width, height: 6, period: PERIOD });
    const perRoute = (outcome: RouteOutcome): GraphWidget =>
      graph(
        `${outcome} by route (sum)`,
        routes.map((r) => routeOutcomeMetric(outcome, r.dimensions, r.route).with({ label: r.route })),
      );
    const perFunction = (
      title: string,
      metric: (fn: ServiceFunction, label: string) => IMetric,
    ): GraphWidget =>
      graph(
        title,
        routes.map((r) => metric(r.handler, r.name)),
        6,
      );
    const allAlarms: Alarm[] = [
      api5xx,
      apiLatency,
      ...Object.values(routeAlarms).flatMap((a) => [a.serverErrors, a.errors, a.throttles, a.duration]),
      ...Object.values(stateMachineAlarms).flat(),
      ...Object.values(eventFunctionAlarms),
      ...Object.values(deadLetterAlarms),
      ...Object.values(metricAlarms),
    ];
    const queueRow = Object.keys(deadLetterAlarms).length
      ? [
          [
            graph(
              'Dead-letter queue depth (max)',
              Object.entries(props.deadLetterQueues ?? {}).map(([name, dlq]) => dlqDepth(dlq, name)),
              24,
            ),
          ],
        ]
      : [];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown: `# Zepto ${props.stageName}\nAPI stage \`${props.stageName}\`, ${routes.length} routes. Alarms notify the alarm topic.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          graph('API requests, 4xx, 5xx (sum)', [
            stage.metricCount({ period: PERIOD, statistic: Stats.SUM, label: 'Requests' }),
            stage.metricClientError({ period: PERIOD, statistic: Stats.SUM, label: '4xx' }),
            stage.metricServerError({ period: PERIOD, statistic: Stats.SUM, label: '5xx' }),
          ]),
          graph('API latency (ms)', [
            stage.metricLatency({ period: PERIOD, statistic: Stats.p(50), label: 'Latency p50' }),
            stage.metricLatency({ period: PERIOD, statistic: Stats.p(99), label: 'Latency p99' }),
            stage.metricIntegrationLatency({
              period: PERIOD,
              statistic: Stats.p(99),
              label: 'Integration latency p99',
            }),
          ]),
          graph('WAF blocked requests (sum)', [
            props.firewall.metricBlockedRequests({ period: PERIOD, label: 'Blocked' }),
          ]),
        ],
        [perRoute('Success'), perRoute('ClientError'), perRoute('ServerError')],
        [
          perFunction('Lambda errors (sum)', (fn, label) =>
            fn.metricErrors({ period: PERIOD, statistic: Stats.SUM, label }),
          ),
          perFunction('Lambda throttles (sum)', (fn, label) =>
            fn.metricThrottles({ period: PERIOD, statistic: Stats.SUM, label }),
          ),
          perFunction('Lambda duration p99 (ms)', (fn, label) =>
            fn.metricDuration({ period: PERIOD, statistic: Stats.p(99), label }),
          ),
          perFunction('Concurrent executions (max)', (fn, label) =>
            fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: Stats.MAXIMUM, label }),
          ),
        ],
        [
          graph(
            'Cold starts (sum)',
            routes.map((r) => coldStartMetric(r.dimensions, r.handler.functionName, r.name)),
            12,
          ),
          new AlarmStatusWidget({ title: 'Alarms', alarms: allAlarms, width: 12, height: 6 }),
        ],
        ...queueRow,
      ],
    });
  }
}

function triggerLabel(fn: FunctionDef): string {
  switch (fn.trigger.kind) {
    case 's3':
      return `S3 notifications of ${fn.trigger.bucket}`;
    case 'queue':
      return `consumer of ${fn.trigger.queue}`;
    case 'schedule':
      return fn.trigger.description;
    default:
      return fn.trigger.kind;
  }
}
