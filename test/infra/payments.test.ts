/**
 * The payments service in CDK (dev stage), from the app definition's payments part on top of the fixture
 * app (the whole app's api stack is over CloudFormation's 500 resources until the lead's split into nested
 * stacks per service lands; see the report): its queues with DLQs and DLQ
 * alarms, the worker's event source mapping (partial batch responses, a maximum concurrency that protects
 * the provider), the reconciliation schedule, the provider secrets with read grants for exactly the
 * functions that declare them, and the health route's queue-depth grant.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { paymentsFunctions } from '../../lib/app/services/payments';
import { paymentsFixtureApp as app } from './fixtures/payments-app';
import { synth, type Synthesized } from './fixtures/synth';

let dev: Synthesized;
beforeAll(() => {
  dev = synth('dev', app);
}, 300_000);

const functionIdOf = (name: string) => {
  const fn = dev.api.allFunctions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return dev.api.getLogicalId(fn.node.defaultChild as never);
};

/** Every IAM policy statement of the api stack attached to this function's role. */
function statementsOf(name: string): { Action: string | string[]; Resource: unknown }[] {
  const fn = dev.api.allFunctions[name]!;
  const roleId = dev.api.getLogicalId(fn.role!.node.defaultChild as never);
  const policies = dev.templates.api.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
}
const actions = (name: string) => statementsOf(name).flatMap((s) => [s.Action].flat());

it('creates the payment and refund queues, each with a DLQ after 5 receives', () => {
  for (const name of ['PaymentRequests', 'RefundRequests']) {
    const queue = dev.data.queues[name]!;
    const id = dev.data.getLogicalId(queue.queue.node.defaultChild as never);
    const dlqId = dev.data.getLogicalId(queue.deadLetterQueue.node.defaultChild as never);
    dev.templates.data.hasResource('AWS::SQS::Queue', {
      Properties: Match.objectLike({
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
        VisibilityTimeout: 60,
      }),
    });
    expect(id).toBeDefined();
  }
});

it('alarms on any message in the payment and refund DLQs', () => {
  const alarms = dev.templates.observability.findResources('AWS::CloudWatch::Alarm');
  const names = Object.keys(alarms).join(' ');
  expect(names).toMatch(/PaymentRequests/);
  expect(names).toMatch(/RefundRequests/);
});

it('maps the payment queue to the worker with partial batch responses and a maximum concurrency', () => {
  dev.templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: functionIdOf('ProcessPayments') },
    BatchSize: 5,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    ScalingConfig: { MaximumConcurrency: 5 },
  });
  dev.templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    FunctionName: { Ref: functionIdOf('ProcessRefunds') },
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  });
});

it('schedules the reconciliation', () => {
  dev.templates.api.hasResourceProperties('AWS::Scheduler::Schedule', {
    ScheduleExpression: 'rate(5 minutes)',
    Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf('ReconcilePayments'), 'Arn'] } }),
  });
});

it('keeps the provider secrets in Secrets Manager, readable only by the functions that declare them', () => {
  dev.templates.data.resourceCountIs('AWS::SecretsManager::Secret', 2);
  const readers = app.functions.filter((fn) => Object.keys(fn.secrets ?? {}).length > 0).map((fn) => fn.name);
  expect(readers.sort()).toEqual([
    'ProcessPayments',
    'ProcessRefunds',
    'ReceivePaymentWebhook',
    'ReconcilePayments',
  ]);
  for (const fn of app.functions) {
    const reads = actions(fn.name).includes('secretsmanager:GetSecretValue');
    // The cache's AUTH secret is read by the functions that declare the cache.
    expect([fn.name, reads]).toEqual([fn.name, readers.includes(fn.name) || Boolean(fn.cache)]);
  }
  const functions = dev.templates.api.findResources('AWS::Lambda::Function');
  const variables = Object.keys(
    functions[functionIdOf('ReceivePaymentWebhook')]!.Properties.Environment.Variables,
  );
  expect(variables).toContain('PAYMENT_WEBHOOK_SIGNING_SECRET_ARN');
  expect(variables).not.toContain('PAYMENT_PROVIDER_API_KEY_SECRET_ARN');
  expect(variables.filter((v) => v.endsWith('_SECRET_VALUE'))).toEqual([]);
});

it('grants the secrets and their key without a cycle between the data and api stacks (prod: customer-managed key)', () => {
  const prod = synth('prod', app);
  const fn = prod.api.allFunctions.ProcessPayments!;
  const roleId = prod.api.getLogicalId(fn.role!.node.defaultChild as never);
  const statements = Object.values(prod.templates.api.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Condition?: unknown }[]);
  expect(statements).toContainEqual(
    expect.objectContaining({
      Action: 'kms:Decrypt',
      Condition: { StringEquals: { 'kms:ViaService': expect.stringContaining('secretsmanager.') } },
    }),
  );
  expect(JSON.stringify(prod.templates.data.toJSON())).not.toContain('ProcessPaymentsRole');
}, 300_000);

it('lets only the health route read the payment queue depths, and only the payment functions send payments', () => {
  for (const fn of app.functions)
    expect([fn.name, actions(fn.name).includes('sqs:GetQueueAttributes')]).toEqual([
      fn.name,
      fn.name === 'GetProviderHealth' ||
        Object.keys(fn.queues ?? {}).length > 0 ||
        fn.trigger.kind === 'queue',
    ]);
  const senders = app.functions.filter((fn) => fn.queues?.PaymentRequests).map((fn) => fn.name);
  expect(senders.sort()).toEqual(['CreatePayment', 'ProcessPayments', 'ReconcilePayments']);
  expect(paymentsFunctions.every((fn) => fn.service === 'payments')).toBe(true);
});
