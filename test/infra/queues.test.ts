/**
 * Queues of the app definition in CDK: each with its DLQ, encrypted and TLS-only in the data stack; send
 * grants only for producers; an event source mapping with partial batch responses for the consumer; an
 * alarm per DLQ. And the wiring rules (lib/app/queues.ts) that stop a definition before it loses messages.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { checkQueues } from '../../lib/app/queues';
import type { AppDef, FunctionDef } from '../../lib/app/types';
import { fixtureApp } from './fixtures/app';
import { synth, type Synthesized } from './fixtures/synth';

const entry = 'test/infra/fixtures/handler.ts';
const producer: FunctionDef = {
  name: 'PlaceOrder',
  service: 'orders',
  entry,
  description: 'Places an order',
  trigger: {
    kind: 'http',
    route: {
      method: 'POST',
      path: '/v1/orders',
      summary: 'Place an order',
      tags: ['orders'],
      auth: { roles: ['customer'] },
      success: { status: 201, description: 'Created' },
    },
  },
  queues: { OrderEvents: 'send' },
};
const consumer: FunctionDef = {
  name: 'NotifyOrderEvents',
  service: 'notifications',
  entry,
  description: 'Turns order events into notifications',
  trigger: { kind: 'queue', queue: 'OrderEvents', batchSize: 5, maxConcurrency: 4 },
  timeoutSeconds: 30,
};
const withQueues: AppDef = {
  ...fixtureApp,
  queues: [
    { name: 'OrderEvents', description: 'order events', visibilityTimeoutSeconds: 180, maxReceiveCount: 3 },
    { name: 'Audit', description: 'FIFO audit trail', fifo: true },
  ],
  functions: [...fixtureApp.functions, producer, consumer],
};

const logicalIdOf = (template: Synthesized['templates']['api'], type: string, props: object): string => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('queues in CDK', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth('dev', withQueues);
    prod = synth('prod', withQueues);
  });

  it('creates each queue with its own dead-letter queue and redrive policy', () => {
    prod.templates.data.resourceCountIs('AWS::SQS::Queue', 4);
    expect(Object.keys(prod.data.queues).sort()).toEqual(['Audit', 'OrderEvents']);
    prod.templates.data.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 180,
      MessageRetentionPeriod: 4 * 86_400,
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: Match.anyValue() },
    });
    prod.templates.data.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    const dlqs = prod.templates.data.findResources('AWS::SQS::Queue', {
      Properties: { MessageRetentionPeriod: 14 * 86_400 },
    });
    expect(Object.keys(dlqs)).toHaveLength(2);
  });

  it('encrypts queues with the stage key in prod and SSE-SQS in dev', () => {
    prod.templates.data.allResourcesProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
    });
    dev.templates.data.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('denies every request without TLS on every queue', () => {
    prod.templates.data.resourceCountIs('AWS::SQS::QueuePolicy', 4);
    prod.templates.data.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('gives the producer its queue URL and sqs:SendMessage on that queue, and no receive rights', () => {
    const fn = prod.templates.api.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'Places an order' },
    });
    const [props] = Object.values(fn).map(
      (r) => (r as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties,
    );
    expect(props!.Environment.Variables.ORDER_EVENTS_QUEUE_URL).toBeDefined();
    const policies = prod.templates.api.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^PlaceOrderRole') }] },
    });
    const actions = Object.values(policies).flatMap((p) =>
      (
        p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }
      ).Properties.PolicyDocument.Statement.flatMap((s) => s.Action),
    );
    expect(actions.filter((a) => a.startsWith('sqs:')).sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    expect(actions).not.toContain('sqs:ReceiveMessage');
  });

  it('maps the queue to its consumer with partial batch responses, its batch size and concurrency', () => {
    const consumerId = logicalIdOf(prod.templates.api, 'AWS::Lambda::Function', {
      Description: 'Turns order events into notifications',
    });
    prod.templates.api.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    prod.templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: consumerId },
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms on any message in a dead-letter queue', () => {
    const alarms = prod.templates.observability.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' },
    });
    expect(Object.keys(alarms)).toHaveLength(2);
    for (const alarm of Object.values(alarms))
      expect((alarm as { Properties: object }).Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    expect(Object.keys(prod.observability.deadLetterAlarms).sort()).toEqual(['Audit', 'OrderEvents']);
  });
});

describe('queue wiring rules', () => {
  const app = (functions: FunctionDef[], queues = withQueues.queues): AppDef => ({
    ...fixtureApp,
    queues,
    functions,
  });

  it('accepts the fixture', () => {
    expect(() => checkQueues(withQueues)).not.toThrow();
  });

  it('refuses unknown queues, for producers and consumers', () => {
    expect(() => checkQueues(app([{ ...producer, queues: { Nope: 'send' } }]))).toThrow(
      'PlaceOrder names unknown queue Nope',
    );
    expect(() => checkQueues(app([{ ...consumer, trigger: { kind: 'queue', queue: 'Nope' } }]))).toThrow(
      'NotifyOrderEvents names unknown queue Nope',
    );
  });

  it('refuses a consumer that may run longer than its queue hides a message', () => {
    expect(() => checkQueues(app([{ ...consumer, timeoutSeconds: 200 }]))).toThrow(
      'NotifyOrderEvents may run 200 s but OrderEvents hides a message for 180 s only',
    );
  });

  it('refuses two consumers of one queue and batch sizes SQS does not take', () => {
    expect(() => checkQueues(app([consumer, { ...consumer, name: 'Other' }]))).toThrow(
      'OrderEvents has more than one consumer',
    );
    expect(() =>
      checkQueues(app([{ ...consumer, trigger: { kind: 'queue', queue: 'OrderEvents', batchSize: 11 } }])),
    ).toThrow('batchSize must be 1-10');
  });
});
