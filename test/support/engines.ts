/**
 * Helpers for integration tests. The Jest global setup (global-setup.ts) starts the engines on free ports,
 * provisions the app into them and publishes the result in ZEPTO_TEST_RESOURCES, together with the AWS
 * variables and every function variable (all tables, buckets, queues, user pool), so handler modules imported by a
 * test find their environment just as a Lambda would.
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SFNClient,
} from '@aws-sdk/client-sfn';
import {
  bucketEnvName,
  deadLetterQueueEnvName,
  queueEnvName,
  stateMachineEnvName,
  tableEnvName,
} from '../../lib/app/env';
import { SETTINGS, SETTING_NAMES } from '../../lib/app/settings';
import type { AppDef } from '../../lib/app/types';
import { localClients } from '../../local/engines/clients';
import { awsEnvironment, type LocalResources } from '../../local/engines/types';

export const TEST_RESOURCES_ENV = 'ZEPTO_TEST_RESOURCES';

/** What the global setup provisioned (throws outside the `integration` Jest project). */
export function testResources(): LocalResources {
  const json = process.env[TEST_RESOURCES_ENV];
  if (!json)
    throw new Error(`${TEST_RESOURCES_ENV} is not set: run this test in the Jest 'integration' project`);
  return JSON.parse(json) as LocalResources;
}

/**
 * Environment for code under test: SDK endpoints and dummy credentials, plus the union of what
 * `functionEnvironment` (lib/app/env.ts) gives any function: every table and bucket name, queue URL and the
 * user pool.
 */
export function integrationEnvironment(app: AppDef, resources: LocalResources): Record<string, string> {
  const env: Record<string, string> = {
    ...awsEnvironment(resources.endpoints),
    STAGE: resources.stage,
    POWERTOOLS_METRICS_NAMESPACE: 'Zepto',
    POWERTOOLS_LOG_LEVEL: resources.logLevel,
    USER_POOL_ID: resources.userPool.id,
    USER_POOL_CLIENT_ID: resources.userPool.clientId,
    AUTO_CONFIRM_SIGN_UP: String(resources.autoConfirmSignUp),
    [TEST_RESOURCES_ENV]: JSON.stringify(resources),
  };
  for (const table of app.tables) env[tableEnvName(table.name)] = resources.tableNames[table.name]!;
  for (const bucket of app.buckets) env[bucketEnvName(bucket.name)] = resources.bucketNames[bucket.name]!;
  for (const machine of app.stateMachines ?? [])
    env[stateMachineEnvName(machine.name)] = resources.stateMachineArns![machine.name]!;
  for (const name of SETTING_NAMES) env[SETTINGS[name].env] = resources.settings[name];
  for (const queue of app.queues ?? []) {
    env[queueEnvName(queue.name)] = resources.queueUrls[queue.name]!;
    env[deadLetterQueueEnvName(queue.name)] = resources.deadLetterQueueUrls[queue.name]!;
  }
  return env;
}

/** SDK clients pointed at the test engines (callers may `.destroy()` them in afterAll). */
export function testClients(resources: LocalResources = testResources()) {
  const { dynamodb, cognito, s3, sqs, sfn } = localClients(resources.endpoints);
  return { dynamodb, cognito, s3, sqs, sfn: sfn! };
}

/**
 * Waits until an execution on the global setup's Step Functions endpoint has closed (SUCCEEDED, FAILED,
 * TIMED_OUT or ABORTED) and returns its description. The setup runs the app's state machines with every
 * Task in a bundled function, and delivers S3 notifications of its s3rver to S3-triggered functions.
 */
export async function waitForExecution(
  executionArn: string,
  sfn: SFNClient = sharedSfn(),
): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
let sfnClient: SFNClient | undefined;
const sharedSfn = () => (sfnClient ??= testClients().sfn);

/**
 * The redis-server the global setup started. The cache's tests never skip: redis-server is one of the two
 * system packages the project needs (.ci/run installs it), so its absence is a set-up error, said as such.
 */
export function testRedisUrl(): string {
  const url = process.env.ZEPTO_TEST_REDIS_URL;
  if (!url)
    throw new Error(
      'redis-server is not installed, so the cache cannot be tested: apt-get install redis-server (or run bash .ci/run)',
    );
  return url;
}
