/**
 * The notifications infrastructure, synthesized from the notifications part of the app definition (the
 * whole app no longer fits one API stack until the lead's nested stacks land): channel queues with their
 * DLQs and partial-batch event sources, the providers of a stage that sends (SES configuration set, the
 * feedback topic to its queue), the narrowest provider grants, no providers where the stage writes to the
 * outbox, and cdk-nag clean.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ROLES } from '../../functions/shared/http/route';
import {
  CHANNEL_QUEUES,
  EMAIL_FEEDBACK_QUEUE,
  notificationQueues,
  notificationsFunctions,
  notificationTables,
} from '../../lib/app/services/notifications';
import type { AppDef } from '../../lib/app/types';
import { getStageConfig, type StageName } from '../../lib/config/stages';
import { buildZepto } from '../../lib/stacks/zepto';
import { nagFindingsOf, testApp, withNestedStacks } from './fixtures/synth';

const definition: AppDef = {
  tables: [
    { name: 'Users', description: 'profiles', partitionKey: { name: 'userId', type: 'S' } },
    ...notificationTables,
  ],
  buckets: [],
  queues: [
    { name: 'OrderEvents', description: 'order events' },
    { name: 'NotificationRequests', description: 'requests' },
    ...notificationQueues,
  ],
  userPool: { groups: ROLES.map((name, i) => ({ name, description: name, precedence: i + 1 })) },
  functions: notificationsFunctions,
};

function build(stage: StageName, nag = false) {
  const app = testApp({ context: { '@aws-cdk/core:annotationsInValidationReport': false } });
  const zepto = buildZepto(app, { config: getStageConfig(stage), definition, nag, nagReports: false });
  return { app, zepto, data: Template.fromStack(zepto.data), api: withNestedStacks(zepto.api) };
}
const prod = build('prod');
const dev = build('dev');

/** The statements of the policies attached to one function's role. */
function statementsOf(
  api: Template,
  fn: string,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const policies = api.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([id]) => id.startsWith(fn))
    .flatMap(
      ([, p]) =>
        (p as { Properties: { PolicyDocument: { Statement: never[] } } }).Properties.PolicyDocument.Statement,
    );
}
const actionsOf = (api: Template, fn: string) =>
  statementsOf(api, fn).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('channel queues', () => {
  it('are one per channel, each with its own DLQ after 5 receives', () => {
    for (const name of Object.values(CHANNEL_QUEUES)) {
      const q = notificationQueues.find((d) => d.name === name);
      expect(q?.maxReceiveCount).toBe(5);
    }
    // Four channel queues, feedback, campaign batches and the two inputs, each with its DLQ.
    prod.data.resourceCountIs('AWS::SQS::Queue', 16);
    const redriven = Object.values(prod.data.findResources('AWS::SQS::Queue')).filter(
      (q) => (q as { Properties: { RedrivePolicy?: { maxReceiveCount: number } } }).Properties.RedrivePolicy,
    );
    expect(redriven).toHaveLength(8);
  });

  it('are drained by one worker each, reporting partial batch failures', () => {
    prod.api.resourceCountIs('AWS::Lambda::EventSourceMapping', 8);
    prod.api.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('providers of a stage that sends (prod)', () => {
  it('creates the SES configuration set with bounce and complaint events to an encrypted topic feeding the feedback queue', () => {
    prod.data.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    prod.data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: ['bounce', 'complaint'], Enabled: true }),
    });
    prod.data.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    prod.data.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    expect(EMAIL_FEEDBACK_QUEUE).toBe('NotificationEmailFeedback');
  });

  it('lets the email worker send only from the stage address through the configuration set', () => {
    const send = statementsOf(prod.api, 'DeliverEmail').find((s) => s.Action === 'ses:SendEmail');
    expect(send?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@mail.zepto.in' } });
    expect(JSON.stringify(send?.Resource)).toContain('identity/mail.zepto.in');
    expect(JSON.stringify(send?.Resource)).toContain('configuration-set/');
  });

  it("lets the push functions reach the stage's platform applications and their endpoints only", () => {
    const statements = statementsOf(prod.api, 'DeliverPush');
    const publish = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('sns:Publish'));
    expect(JSON.stringify(publish?.Resource)).toContain('endpoint/GCM/zepto-prod-fcm/*');
    expect(JSON.stringify(publish?.Resource)).toContain('endpoint/APNS/zepto-prod-apns/*');
    expect(actionsOf(prod.api, 'RegisterDevice')).toContain('sns:CreatePlatformEndpoint');
  });

  it('gives no provider action to functions that declare no channel', () => {
    for (const fn of ['DispatchNotifications', 'DeliverInApp', 'ListNotifications', 'NotifyOrderEvents'])
      expect(actionsOf(prod.api, fn).filter((a) => /^(ses|sns|social-messaging):/.test(a))).toEqual([]);
    // No WhatsApp sender configured in prod yet: no grant at all.
    expect(actionsOf(prod.api, 'DeliverWhatsapp').filter((a) => a.startsWith('social-messaging:'))).toEqual(
      [],
    );
  });
});

describe('a stage that writes to the outbox (dev)', () => {
  it('has no SES configuration set, topic or provider grant', () => {
    dev.data.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    dev.data.resourceCountIs('AWS::SNS::Topic', 0);
    for (const fn of ['DeliverEmail', 'DeliverPush', 'RegisterDevice'])
      expect(actionsOf(dev.api, fn).filter((a) => /^(ses|sns):/.test(a))).toEqual([]);
  });
});

describe('cdk-nag', () => {
  it.each(['dev', 'prod'] as const)('leaves no unsuppressed finding on %s', (stage) => {
    const { app, zepto } = build(stage, true);
    const { errors, warnings } = nagFindingsOf(app, [zepto.data, zepto.auth, zepto.api, zepto.observability]);
    expect([...errors, ...warnings].map((f) => `${f.path}: ${f.message}`)).toEqual([]);
  });
});
