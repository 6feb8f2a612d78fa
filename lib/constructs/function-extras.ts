/**
 * What the app definition gives a function beyond the api stack's own bindings, applied to the functions
 * once they exist: `secrets` (`<NAME>_SECRET_ARN` and `secretsmanager:GetSecretValue` — plus the key's
 * decrypt — on that secret only) and `queueDepths` (`<QUEUE>_QUEUE_URL`, `<QUEUE>_DLQ_URL` and
 * `sqs:GetQueueAttributes` on those two queues only). The local platform renders the same variables
 * through `functionEnvironment` (lib/app/env.ts).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueueEnvName, queueEnvName, secretEnvName } from '../app/env';
import type { AppDef } from '../app/types';

export interface FunctionExtrasProps {
  readonly definition: Pick<AppDef, 'functions'>;
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly secrets: Readonly<Record<string, ISecret>>;
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
      secret.grantRead(handler);
    }
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
