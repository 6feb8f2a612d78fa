import { Match, type Template } from 'aws-cdk-lib/assertions';
import { app as realApp } from '../../lib/app/app';
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/app/defaults';
import type { AppDef } from '../../lib/app/types';
import { getStageConfig } from '../../lib/config/stages';
import { httpFunctions } from '../../lib/stacks/api-stack';
import { fixtureApp } from './fixtures/app';
import { synth, type Synthesized } from './fixtures/synth';

type Dimension = { Name: string; Value: unknown };
interface AlarmProps {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: Dimension[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  TreatMissingData?: string;
  AlarmDescription?: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
}

const alarmsOf = (template: Template, metricName: string, namespace: string): AlarmProps[] =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .map((r) => (r as { Properties: AlarmProps }).Properties)
    .filter((p) => p.MetricName === metricName && p.Namespace === namespace);

/** The alarm's FunctionName is the function of this name in the API stack (a weak cross-stack reference). */
const referencesFunction = (alarm: AlarmProps, fnName: string): boolean =>
  alarm.Dimensions?.length === 1 &&
  new RegExp(`Functions${fnName}[0-9A-F]{8}Ref[0-9A-F]{8}$`).test(
    (alarm.Dimensions[0]!.Value as { 'Fn::GetStackOutput'?: { OutputName?: string } })['Fn::GetStackOutput']
      ?.OutputName ?? '',
  );

describe('ObservabilityStack', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth('dev');
    prod = synth('prod');
  });

  describe('alarm topic', () => {
    it('is encrypted with its own rotated KMS key that CloudWatch may use', () => {
      const t = prod.templates.observability;
      t.resourceCountIs('AWS::SNS::Topic', 1);
      t.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsKey'), 'Arn'] },
      });
      t.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        }),
      });
    });

    it('refuses publishing without TLS and lets only this account’s alarms publish', () => {
      prod.templates.observability.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              }),
            }),
          ]),
        }),
      });
    });

    it('has no subscription when the stage sets no alarmEmail', () => {
      expect(getStageConfig('prod').alarmEmail).toBeUndefined();
      prod.templates.observability.resourceCountIs('AWS::SNS::Subscription', 0);
    });

    it('subscribes alarmEmail by e-mail when the stage sets it', () => {
      const withEmail = synth('prod', fixtureApp, { config: { alarmEmail: 'ops@example.com' } });
      withEmail.templates.observability.resourceCountIs('AWS::SNS::Subscription', 1);
      withEmail.templates.observability.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
      });
    });
  });

  describe.each([
    ['the fixture app', fixtureApp],
    ['the real app', realApp],
  ] as [string, AppDef][])('route alarms of %s', (_label, definition) => {
    const routes = httpFunctions(definition.functions);
    let t: Template;
    beforeAll(() => {
      t =
        definition === fixtureApp
          ? prod.templates.observability
          : synth('prod', definition).templates.observability;
    });

    it('has exactly one ServerError alarm per route, on the dimensions the handler emits', () => {
      const alarms = alarmsOf(t, 'ServerError', 'Zepto');
      expect(alarms).toHaveLength(routes.length);
      const dimensionSets = alarms.map((a) =>
        a.Dimensions!.map((d) => `${d.Name}=${String(d.Value)}`).sort(),
      );
      expect(dimensionSets.sort()).toEqual(
        routes
          .map(({ fn, route }) => [
            `route=${route.method} ${route.path}`,
            `service=${fn.service}`,
            'stage=prod',
          ])
          .sort(),
      );
    });

    it('has one Lambda Errors and one Throttles alarm per route, and an Errors alarm per unattended function', () => {
      const unattended = definition.functions.filter(
        (fn) => fn.trigger.kind !== 'http' && fn.trigger.kind !== 'stateMachine',
      );
      if (definition === realApp) expect(unattended.map((fn) => fn.name)).toContain('ScheduledCacheWarmUp');
      const errors = alarmsOf(t, 'Errors', 'AWS/Lambda');
      expect(errors).toHaveLength(routes.length + unattended.length);
      for (const fn of [...routes.map((r) => r.fn), ...unattended])
        expect(errors.filter((a) => referencesFunction(a, fn.name))).toHaveLength(1);
      const throttles = alarmsOf(t, 'Throttles', 'AWS/Lambda');
      expect(throttles).toHaveLength(routes.length);
      for (const { fn } of routes)
        expect(throttles.filter((a) => referencesFunction(a, fn.name))).toHaveLength(1);
    });
  });

  describe('alarms on what the functions report', () => {
    let t: Template;
    beforeAll(() => {
      t = synth('prod', realApp).templates.observability;
    });
    const dimensionsOf = (alarm: { Dimensions?: { Name: string; Value: unknown }[] }) =>
      Object.fromEntries(alarm.Dimensions!.map((d) => [d.Name, d.Value]));

    it('alarms on CacheError once per metric series of every function with the cache', () => {
      const cached = realApp.functions.filter((fn) => fn.cache);
      const routeOf = new Map(httpFunctions(realApp.functions).map(({ fn, route }) => [fn.name, route]));
      const expected = new Set(
        cached.map((fn) => {
          const route = routeOf.get(fn.name);
          return JSON.stringify({
            ...(route ? { route: `${route.method} ${route.path}` } : {}),
            service: fn.service,
            stage: 'prod',
          });
        }),
      );
      expect(cached.map((fn) => fn.name)).toEqual(expect.arrayContaining(['GetProduct', 'WarmImportCache']));
      const alarms = alarmsOf(t, 'CacheError', 'Zepto');
      const seen = alarms.map((a) => {
        const { route, service, stage } = dimensionsOf(a);
        return JSON.stringify({ ...(route ? { route } : {}), service, stage });
      });
      expect(new Set(seen)).toEqual(expected);
      expect(seen).toHaveLength(expected.size);
      for (const alarm of alarms) expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
    });

    it("alarms on a function's declared metric: the search indexer's truncated category re-index", () => {
      const [alarm, ...more] = alarmsOf(t, 'CategoryReindexTruncated', 'Zepto');
      expect(more).toHaveLength(0);
      expect(dimensionsOf(alarm!)).toEqual({ service: 'search', stage: 'prod' });
      expect(alarm).toMatchObject({ Threshold: 1, TreatMissingData: 'notBreaching' });
      expect(String(alarm!.AlarmDescription)).toContain('search:reindex');
    });
  });

  describe('thresholds', () => {
    it('alarms on one handler 5xx in 5 minutes on prod, five on dev, quiet without data, to the topic', () => {
      const check = (template: Template, threshold: number): void => {
        for (const alarm of alarmsOf(template, 'ServerError', 'Zepto')) {
          expect(alarm).toMatchObject({
            Threshold: threshold,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            EvaluationPeriods: 1,
            Statistic: 'Sum',
            Period: 300,
            TreatMissingData: 'notBreaching',
            AlarmActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }],
            OKActions: [{ Ref: expect.stringMatching(/^AlarmsTopic/) }],
          });
        }
      };
      check(prod.templates.observability, 1);
      check(dev.templates.observability, 5);
    });

    it('alarms on a p99 duration at 80% of each function’s own timeout', () => {
      const alarms = alarmsOf(prod.templates.observability, 'Duration', 'AWS/Lambda');
      expect(alarms).toHaveLength(fixtureApp.functions.length);
      for (const fn of fixtureApp.functions) {
        const [alarm] = alarms.filter((a) => referencesFunction(a, fn.name));
        expect(alarm).toMatchObject({
          ExtendedStatistic: 'p99',
          Threshold: (fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000 * 0.8,
          EvaluationPeriods: 3,
        });
      }
    });

    it('alarms on the API stage 5XXError and p99 Latency with the stage thresholds', () => {
      const stageDimension = Match.arrayWith([Match.objectLike({ Name: 'Stage' })]);
      prod.templates.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Dimensions: stageDimension,
        Statistic: 'Sum',
        Threshold: 5,
      });
      prod.templates.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: stageDimension,
        ExtendedStatistic: 'p99',
        Threshold: 2000,
      });
      dev.templates.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Latency',
        Threshold: 5000,
      });
    });
  });

  describe('dashboard', () => {
    const body = (s: Synthesized): string =>
      JSON.stringify(
        Object.values(s.templates.observability.findResources('AWS::CloudWatch::Dashboard')).map(
          (r) => (r as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody,
        ),
      );

    it('exists once', () => {
      prod.templates.observability.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });

    it('graphs the API, WAF blocks, per-route outcomes, Lambda health and cold starts', () => {
      const text = body(prod);
      for (const metric of [
        '"AWS/ApiGateway\\",\\"Count',
        '"AWS/ApiGateway\\",\\"4XXError',
        '"AWS/ApiGateway\\",\\"5XXError',
        '"AWS/ApiGateway\\",\\"Latency',
        '"AWS/WAFV2\\",\\"BlockedRequests',
        '"Zepto\\",\\"Success',
        '"Zepto\\",\\"ClientError',
        '"Zepto\\",\\"ServerError',
        '"Zepto\\",\\"ColdStart',
        '"AWS/Lambda\\",\\"Errors',
        '"AWS/Lambda\\",\\"Throttles',
        '"AWS/Lambda\\",\\"Duration',
        '"AWS/Lambda\\",\\"ConcurrentExecutions',
      ]) {
        expect(text).toContain(metric);
      }
      for (const { route } of httpFunctions(fixtureApp.functions)) {
        expect(text).toContain(`${route.method} ${route.path}`);
      }
    });
  });
});
