/**
 * What the app definition gives a function beyond the api stack's own bindings, applied to the functions
 * once they exist: `secrets` (`<NAME>_SECRET_ARN` and `secretsmanager:GetSecretValue` — plus the key's
 * decrypt — on that secret only) and `queueDepths` (`<QUEUE>_QUEUE_URL`, `<QUEUE>_DLQ_URL` and
 * `sqs:GetQueueAttributes` on those two queues only). The local platform renders the same variables
 * through `functionEnvironment` (lib/app/env.ts).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueueEnvName, queueEnvName, secretEnvName } from '../app/env';
import { NagSuppressions } from 'cdk-nag';
import { isQueueFunction, type AppDef } from '../app/types';

export interface FunctionExtrasProps {
  readonly definition: Pick<AppDef, 'functions'>;
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly secrets: Readonly<Record<string, ISecret>>;
  /** The stage's key the secrets are encrypted with, when it has one (customer-managed). */
  readonly encryptionKey?: IKey;
  readonly queues: Readonly<Record<string, { readonly queue: IQueue; readonly deadLetterQueue: IQueue }>>;
}

export function bindFunctionExtras(props: FunctionExtrasProps): void {
  for (const fn of props.definition.functions) {
    const handler = props.functions[fn.name];
    if (!handler) throw new Error(`No function ${fn.name} to bind`);
    for (const name of Object.keys(fn.secrets ?? {})) {
      const secret = props.secrets[name];
      if (!secret) throw new Error(`${fn.name} declares unknown secret ${name}`);
      handler.addEnvironment(secretEnvName(name), secret.secretArn);
      // Identity policies only: `secret.grantRead` would put the role into the key policy in the data
      // stack, and the data stack may not depend on the api stack (a cycle). The key's policy lets the
      // account's IAM policies grant its use; decrypting is allowed only through Secrets Manager.
      handler.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          resources: [secret.secretArn],
        }),
      );
      if (props.encryptionKey)
        handler.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [props.encryptionKey.keyArn],
            conditions: {
              StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(handler).region}.amazonaws.com` },
            },
          }),
        );
    }
    if (isQueueFunction(fn))
      // Here rather than in the api stack while that stack is being split (move it there afterwards).
      NagSuppressions.addResourceSuppressions(
        handler,
        [
          {
            id: 'Serverless-LambdaEventSourceMappingDestination',
            reason: `An SQS event source takes no on-failure destination: ${fn.trigger.queue}'s redrive policy moves a failing message to its DLQ (alarmed)`,
          },
        ],
        true,
      );
    for (const name of fn.queueDepths ?? []) {
      const queue = props.queues[name];
      if (!queue) throw new Error(`${fn.name} reads the depth of unknown queue ${name}`);
      handler.addEnvironment(queueEnvName(name), queue.queue.queueUrl);
      handler.addEnvironment(deadLetterQueueEnvName(name), queue.deadLetterQueue.queueUrl);
      handler.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sqs:GetQueueAttributes'],
          resources: [queue.queue.queueArn, queue.deadLetterQueue.queueArn],
        }),
      );
    }
  }
}
