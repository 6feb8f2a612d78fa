import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import type { FunctionDef, NotificationProvider } from '../app/types';
import type { StageConfig } from '../config/stages';
import type { ServiceFunction } from './service-function';

export interface NotificationChannelsProps {
  /** The stage's notification settings (`StageConfig.notifications`). */
  readonly config: StageConfig['notifications'];
  /** The functions of the app definition; those that declare `notificationChannels` get the grants. */
  readonly definition: readonly FunctionDef[];
  /** The rendered functions by logical name (ApiStack.allFunctions). */
  readonly functions: Readonly<Record<string, ServiceFunction>>;
  /** Receives the configuration set's bounce and complaint events (raw SES event JSON). */
  readonly feedbackQueue: IQueue;
  /** Where the topic puts what it could not deliver to the feedback queue (the queue's own DLQ). */
  readonly feedbackDeadLetterQueue: IQueue;
}

/**
 * The notification providers of a stage that sends for real (`delivery: 'providers'`), declared from the
 * app definition: an SES v2 configuration set whose bounce and complaint events go through an encrypted
 * SNS topic to the feedback queue, and for each function that declares `notificationChannels` the
 * narrowest grants — `ses:SendEmail` on the stage's identity through that configuration set; SNS mobile
 * push on the stage's platform applications and their endpoints only; `SendWhatsAppMessage` from the
 * stage's phone number only — and the variables naming them. Stages that write to the outbox get none.
 *
 * Lives in the stateful stack (the configuration set and topic outlive the functions); the grants land in
 * the functions' own policies, which reference it.
 */
export class NotificationChannels extends Construct {
  readonly configurationSet?: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: NotificationChannelsProps) {
    super(scope, id);
    const { config } = props;
    if (config.delivery !== 'providers') return;
    const arn = (service: string, resource: string) =>
      `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;

    const configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // SES's own account-level list as well: a bounced address is not even tried by SES again.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet = configurationSet;
    // A key of its own: SES must be allowed to use the topic's key, and the AWS managed SNS key cannot say so.
    const feedbackKey = new kms.Key(this, 'EmailFeedbackKey', {
      description: 'Encrypts the SES bounce and complaint events topic',
      enableKeyRotation: true,
    });
    feedbackKey.grant(new iam.ServicePrincipal('ses.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    const feedback = new sns.Topic(this, 'EmailFeedback', {
      displayName: 'SES bounces and complaints',
      enforceSSL: true,
      masterKey: feedbackKey,
    });
    feedback.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [feedback.topicArn],
        conditions: { StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    feedback.addSubscription(
      new SqsSubscription(props.feedbackQueue, {
        rawMessageDelivery: true,
        deadLetterQueue: props.feedbackDeadLetterQueue,
      }),
    );
    configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.snsTopic(feedback),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    const platformApps = (['android', 'ios'] as const).flatMap((platform) => {
      const name = config.push[platform];
      if (!name) return [];
      const kind = platform === 'android' ? 'GCM' : 'APNS';
      return [{ platform, name, kind, arn: arn('sns', `app/${kind}/${name}`) }];
    });
    const identityArn = arn('ses', `identity/${config.email.identity}`);
    const configurationSetArn = arn('ses', `configuration-set/${configurationSet.configurationSetName}`);

    for (const def of props.definition) {
      const channels = new Set<NotificationProvider>(def.notificationChannels ?? []);
      if (channels.size === 0) continue;
      const fn = props.functions[def.name];
      if (!fn) throw new Error(`${def.name} declares notification channels but was not rendered`);
      if (channels.has('push')) {
        fn.addEnvironment(
          'PUSH_PLATFORM_APPLICATIONS',
          Stack.of(fn).toJsonString(Object.fromEntries(platformApps.map((a) => [a.platform, a.arn]))),
        );
        if (platformApps.length > 0) {
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['sns:CreatePlatformEndpoint'],
              resources: platformApps.map((a) => a.arn),
            }),
          );
          fn.addToRolePolicy(
            new iam.PolicyStatement({
              actions: ['sns:Publish', 'sns:DeleteEndpoint', 'sns:GetEndpointAttributes'],
              resources: platformApps.map((a) => arn('sns', `endpoint/${a.kind}/${a.name}/*`)),
            }),
          );
          NagSuppressions.addResourceSuppressions(
            fn.role!,
            [
              {
                id: 'AwsSolutions-IAM5',
                reason:
                  "Push endpoints are created per device at run time: the grant covers the endpoints of the stage's own platform applications only",
                appliesTo: platformApps.map(
                  (a) =>
                    `Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:endpoint/${a.kind}/${a.name}/*`,
                ),
              },
            ],
            true,
          );
        }
      }
      if (channels.has('email')) {
        fn.addEnvironment('EMAIL_CONFIGURATION_SET', configurationSet.configurationSetName);
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['ses:SendEmail'],
            resources: [identityArn, configurationSetArn],
            conditions: { StringEquals: { 'ses:FromAddress': config.email.fromAddress } },
          }),
        );
      }
      if (channels.has('whatsapp') && config.whatsapp)
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['social-messaging:SendWhatsAppMessage'],
            resources: [arn('social-messaging', `phone-number-id/${config.whatsapp.phoneNumberId}`)],
          }),
        );
    }
  }
}
