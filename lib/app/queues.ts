/**
 * Rules for the queues of an app definition that neither SQS nor CloudFormation would catch before a
 * message is lost or delivered twice. CDK (ApiStack) and the local platform both call `checkQueues`.
 */
import { DEFAULT_TIMEOUT_SECONDS } from './defaults';
import { isQueueFunction, type AppDef, type QueueDef } from './types';

export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 60;
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
export const DEFAULT_RETENTION_DAYS = 4;
export const DEFAULT_BATCH_SIZE = 10;

export function checkQueues(def: Pick<AppDef, 'queues' | 'functions'>): void {
  const queues = new Map((def.queues ?? []).map((q) => [q.name, q] as const));
  const problems: string[] = [];
  const queueNamed = (name: string, by: string): QueueDef | undefined => {
    const queue = queues.get(name);
    if (!queue) problems.push(`${by} names unknown queue ${name}`);
    return queue;
  };
  for (const fn of def.functions) {
    for (const name of Object.keys(fn.queues ?? {})) queueNamed(name, fn.name);
    if (!isQueueFunction(fn)) continue;
    const { trigger } = fn;
    const queue = queueNamed(trigger.queue, fn.name);
    if (!queue) continue;
    const visibility = queue.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
    const timeout = fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    // A batch still running when its messages reappear is processed twice at once.
    if (visibility < timeout)
      problems.push(
        `${fn.name} may run ${timeout} s but ${queue.name} hides a message for ${visibility} s only`,
      );
    const batch = trigger.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxBatch = queue.fifo || !trigger.maxBatchingWindowSeconds ? 10 : 10_000;
    if (batch < 1 || batch > maxBatch) problems.push(`${fn.name}: batchSize must be 1-${maxBatch}`);
  }
  const consumers = def.functions.filter(isQueueFunction).map((fn) => fn.trigger.queue);
  for (const name of new Set(consumers))
    if (consumers.filter((c) => c === name).length > 1)
      problems.push(`${name} has more than one consumer (each message would reach only one of them)`);
  if (problems.length > 0) throw new Error(`Queue wiring:\n- ${problems.join('\n- ')}`);
}
