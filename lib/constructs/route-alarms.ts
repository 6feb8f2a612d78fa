import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** Every alarm and dashboard graph of the observability stack looks at 5-minute periods. */
export const PERIOD = Duration.minutes(5);
/** The Powertools metrics namespace of every function (POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Zepto';
export type RouteOutcome = 'Success' | 'ClientError' | 'ServerError';

/** The dimensions Powertools puts on every metric of a function (functions/shared/powertools.ts). */
export interface FunctionDimensions {
  /** POWERTOOLS_SERVICE_NAME. */
  readonly service: string;
  /** STAGE. */
  readonly stage: string;
}

/**
 * A metric a function emits through Powertools, with exactly its EMF dimension set: `service` and `stage`,
 * and on an HTTP function also `route` (`<METHOD> <path>`), which the handler adds to every metric of the
 * request (functions/shared/http/handler.ts).
 */
export function functionMetric(metricName: string, dims: FunctionDimensions, route?: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: dims.service, stage: dims.stage, ...(route !== undefined ? { route } : {}) },
    statistic: 'Sum',
    period: PERIOD,
  });
}

/** The outcome metric a route's handler emits once per request. */
export const routeOutcomeMetric = (outcome: RouteOutcome, dims: FunctionDimensions, route: string): Metric =>
  functionMetric(outcome, dims, route);

/** Powertools' `ColdStart` metric of one function (dimensions `service`, `stage` and `function_name`). */
export function coldStartMetric(dims: FunctionDimensions, functionName: string, label: string): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: 'ColdStart',
    dimensionsMap: { service: dims.service, stage: dims.stage, function_name: functionName },
    statistic: 'Sum',
    period: PERIOD,
    label,
  });
}

export interface AlarmOptions {
  readonly description: string;
  readonly threshold: number;
  /** @default 1 */
  readonly evaluationPeriods?: number;
}

/** An alarm at or above a threshold, quiet without data, that notifies (alarm and OK) through `action`. */
export function thresholdAlarm(
  scope: Construct,
  id: string,
  metric: IMetric,
  action: IAlarmAction,
  options: AlarmOptions,
): Alarm {
  const evaluationPeriods = options.evaluationPeriods ?? 1;
  const alarm = new Alarm(scope, id, {
    metric,
    alarmDescription: options.description,
    threshold: options.threshold,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods,
    datapointsToAlarm: evaluationPeriods,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

export interface RouteAlarmsProps {
  /** The function that serves the route. */
  readonly fn: IFunction;
  /** Its Powertools service name and stage. */
  readonly dimensions: FunctionDimensions;
  /** `<METHOD> <path>`, as the handler names it in the `route` dimension. */
  readonly route: string;
  /** The function's timeout, for the duration alarm. */
  readonly timeout: Duration;
  readonly action: IAlarmAction;
  /** Handler 5xx (`ServerError`) and Lambda `Errors` in 5 minutes. */
  readonly errorsPer5Min: number;
  readonly throttlesPer5Min: number;
  /** `Duration` p99 alarms at this percentage of the timeout. */
  readonly durationP99PercentOfTimeout: number;
  /** Consecutive periods the duration p99 must breach. */
  readonly durationEvaluationPeriods: number;
}

/**
 * The alarms of one HTTP route and its function: handler 5xx responses (`ServerError`, which Lambda's own
 * `Errors` never counts, since the handler returns the 500), Lambda `Errors` (crashes, timeouts),
 * `Throttles`, and a p99 `Duration` close to the timeout.
 */
export class RouteAlarms extends Construct {
  readonly serverErrors: Alarm;
  readonly errors: Alarm;
  readonly throttles: Alarm;
  readonly duration: Alarm;

  constructor(scope: Construct, id: string, props: RouteAlarmsProps) {
    super(scope, id);
    const { fn, route, action } = props;
    this.serverErrors = thresholdAlarm(
      this,
      'ServerErrors',
      routeOutcomeMetric('ServerError', props.dimensions, route),
      action,
      {
        description: `${route}: ${props.errorsPer5Min}+ responses with a 5xx status in 5 minutes`,
        threshold: props.errorsPer5Min,
      },
    );
    this.errors = thresholdAlarm(
      this,
      'Errors',
      fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      action,
      {
        description: `${route}: ${props.errorsPer5Min}+ failed invocations (crash, timeout) in 5 minutes`,
        threshold: props.errorsPer5Min,
      },
    );
    this.throttles = thresholdAlarm(
      this,
      'Throttles',
      fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      action,
      {
        description: `${route}: ${props.throttlesPer5Min}+ throttled invocations in 5 minutes`,
        threshold: props.throttlesPer5Min,
      },
    );
    const timeoutMs = props.timeout.toMilliseconds();
    const thresholdMs = Math.round((timeoutMs * props.durationP99PercentOfTimeout) / 100);
    this.duration = thresholdAlarm(
      this,
      'Duration',
      fn.metricDuration({ period: PERIOD, statistic: 'p99' }),
      action,
      {
        description:
          `${route}: p99 duration at or above ${thresholdMs} ms (${props.durationP99PercentOfTimeout}% ` +
          `of the ${timeoutMs} ms timeout) for ${props.durationEvaluationPeriods} x 5 minutes`,
        threshold: thresholdMs,
        evaluationPeriods: props.durationEvaluationPeriods,
      },
    );
  }
}
