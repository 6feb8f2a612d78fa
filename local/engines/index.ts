/**
 * Starts every local engine in parallel on free 127.0.0.1 ports (DynamoDB Local, cognito-local with
 * GlobalSignOut, s3rver, fauxqs for SQS, the Orama search engine, and redis-server when installed). Nothing is left running on failure, and the
 * children die with this process.
 */
import { startCognito } from './cognito';
import { startDynamoDb } from './dynamodb';
import type { StartedEngine } from './process';
import { startRedis } from './redis';
import { startS3, type S3Engine } from './s3';
import { startSearchEngine } from './search';
import { startSqs } from './sqs';
import type { EngineEndpoints, EngineOptions, RunningEngines } from './types';

export type { EngineEndpoints, EngineOptions, LocalResources, RunningEngines } from './types';
export { awsEnvironment } from './types';

export async function startEngines(opts: EngineOptions = {}): Promise<RunningEngines> {
  const { dataDir, ports = {} } = opts;
  const results = await Promise.allSettled([
    startDynamoDb({ dataDir, port: ports.dynamodb }),
    startCognito({ dataDir, port: ports.cognito }),
    startS3({ dataDir, port: ports.s3 }),
    startSqs({ dataDir, port: ports.sqs }),
    opts.redis === false ? Promise.resolve(undefined) : startRedis({ dataDir, port: ports.redis }),
    startSearchEngine({ port: ports.search }),
  ] as const);
  const started = results.flatMap((r) =>
    r.status === 'fulfilled' && r.value ? [r.value as StartedEngine] : [],
  );
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await Promise.allSettled(started.map((engine) => engine.stop()));
    const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
    throw new Error(`Local engines failed to start:\n- ${messages.join('\n- ')}`, { cause: failures[0] });
  }
  const [dynamodb, cognito, s3, sqs, redis, search] = results.map((r) =>
    r.status === 'fulfilled' ? r.value : undefined,
  ) as [StartedEngine, StartedEngine, S3Engine, StartedEngine, StartedEngine | undefined, StartedEngine];
  const endpoints: EngineEndpoints = {
    dynamodb: dynamodb.endpoint,
    cognito: cognito.endpoint,
    s3: s3.endpoint,
    sqs: sqs.endpoint,
    search: search.endpoint,
    ...(redis ? { redis: redis.endpoint } : {}),
  };
  let stopping: Promise<void> | undefined;
  return {
    endpoints,
    onS3Event: (listener) => s3.onEvent(listener),
    stop() {
      stopping ??= Promise.allSettled(started.map((engine) => engine.stop())).then(() => undefined);
      return stopping;
    },
  };
}
