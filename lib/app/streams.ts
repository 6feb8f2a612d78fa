/**
 * Rules for the stream triggers of an app definition that CloudFormation would only refuse at deploy time
 * (or not at all): the table must exist and declare a stream, the on-failure destination must be a queue of
 * the app, batch settings within Lambda's limits, and at most two consumers per table (DynamoDB Streams
 * throttles a shard read by more than two). CDK (ApiStack) and the local platform both call `checkStreams`.
 */
import { isStreamFunction, type AppDef } from './types';

export const DEFAULT_STREAM_BATCH_SIZE = 100;
export const DEFAULT_STREAM_RETRY_ATTEMPTS = 5;
export const DEFAULT_STREAM_MAX_RECORD_AGE_SECONDS = 86_400;

export function checkStreams(def: Pick<AppDef, 'tables' | 'queues' | 'functions'>): void {
  const tables = new Map(def.tables.map((t) => [t.name, t] as const));
  const queues = new Set((def.queues ?? []).map((q) => q.name));
  const problems: string[] = [];
  const consumers = new Map<string, string[]>();
  for (const fn of def.functions.filter(isStreamFunction)) {
    const { trigger } = fn;
    const table = tables.get(trigger.table);
    if (!table) problems.push(`${fn.name} reads the stream of unknown table ${trigger.table}`);
    else if (!table.stream) problems.push(`${fn.name} reads ${trigger.table}, which declares no stream`);
    if (!queues.has(trigger.onFailure))
      problems.push(`${fn.name} sends failed batches to unknown queue ${trigger.onFailure}`);
    const batch = trigger.batchSize ?? DEFAULT_STREAM_BATCH_SIZE;
    const maxBatch = trigger.maxBatchingWindowSeconds ? 10_000 : 100;
    if (!Number.isInteger(batch) || batch < 1 || batch > maxBatch)
      problems.push(`${fn.name}: batchSize must be 1-${maxBatch}`);
    const window = trigger.maxBatchingWindowSeconds ?? 0;
    if (window < 0 || window > 300) problems.push(`${fn.name}: maxBatchingWindowSeconds must be 0-300`);
    const retries = trigger.retryAttempts ?? DEFAULT_STREAM_RETRY_ATTEMPTS;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10_000)
      problems.push(`${fn.name}: retryAttempts must be 0-10000`);
    const age = trigger.maxRecordAgeSeconds ?? DEFAULT_STREAM_MAX_RECORD_AGE_SECONDS;
    if (age < 60 || age > 604_800) problems.push(`${fn.name}: maxRecordAgeSeconds must be 60-604800`);
    consumers.set(trigger.table, [...(consumers.get(trigger.table) ?? []), fn.name]);
  }
  for (const [table, names] of consumers)
    if (names.length > 2) problems.push(`${table}'s stream has more than two consumers: ${names.join(', ')}`);
  if (problems.length > 0) throw new Error(`Stream wiring:\n- ${problems.join('\n- ')}`);
}
