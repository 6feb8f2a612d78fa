/**
 * Runs `s3` triggers locally, as S3 event notifications and Lambda's asynchronous invocation do: every
 * ObjectCreated record of the S3 engine (s3rver) whose bucket, prefix and suffix match a trigger invokes
 * that function through the same Lambda runner as HTTP and scheduled functions, with an `S3Event` of that
 * one record. The object key is URL-encoded as S3 sends it (spaces as `+`); handlers decode it with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`. An invocation that fails is retried twice with backoff
 * (Lambda's async retries, shortened), then logged and dropped; handlers must tolerate redelivery, since
 * S3 itself delivers at least once.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { s3TriggerMatches } from '../lib/app/s3-triggers';
import { isS3Function, type FunctionDef } from '../lib/app/types';

/** Waits before the 2nd and 3rd attempt (Lambda waits about 1 and 2 minutes). */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000] as const;

export interface S3Notifications {
  /** Deliveries in progress (first attempts and retries). */
  readonly pending: number;
  /** Resolves when no delivery (first attempt or retry) is pending. */
  idle(): Promise<void>;
  stop(): void;
}

export interface S3NotificationOptions {
  /** engines.onS3Event */
  readonly subscribe: (listener: (event: S3Event) => void) => () => void;
  /** Physical bucket name by logical name (provisioned resources). */
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly invoke: (
    name: string,
    event: unknown,
  ) => Promise<{ ok: boolean; error?: { errorType: string; errorMessage: string } }>;
  readonly log?: (line: string) => void;
  readonly retryDelaysMs?: readonly number[];
}

/** The key as S3 puts it in event records: URL-encoded, with `+` for spaces. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

export function startS3Notifications(
  functions: readonly FunctionDef[],
  opts: S3NotificationOptions,
): S3Notifications {
  const triggers = functions.filter(isS3Function).map((fn) => ({
    fn,
    bucket: opts.bucketNames[fn.trigger.bucket],
  }));
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const pending = new Set<Promise<void>>();
  // A retry waiting for its turn, and how to wake it (stop() wakes them all so idle() settles).
  const timers = new Map<NodeJS.Timeout, () => void>();
  let stopped = false;

  const deliver = async (name: string, event: S3Event, key: string): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const result = await opts.invoke(name, event);
        if (result.ok) return;
        failure = result.error ? `${result.error.errorType}: ${result.error.errorMessage}` : 'failed';
      } catch (err) {
        failure = String(err);
      }
      if (stopped) return;
      if (attempt >= delays.length) {
        opts.log?.(`[s3] ${name} failed ${attempt + 1} times for ${key}, dropped: ${failure}`);
        return;
      }
      opts.log?.(`[s3] ${name} failed for ${key} (${failure}); retrying`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delays[attempt]);
        timers.set(timer, resolve);
      });
      if (stopped) return;
    }
  };

  const unsubscribe = opts.subscribe((event) => {
    if (stopped) return;
    for (const record of event.Records ?? []) {
      if (!record.eventName?.startsWith('ObjectCreated:')) continue;
      const key = record.s3.object.key; // s3rver sends it unencoded
      for (const { fn, bucket } of triggers) {
        if (record.s3.bucket.name !== bucket || !s3TriggerMatches(fn.trigger, key)) continue;
        const delivered: S3EventRecord = {
          ...record,
          awsRegion: record.awsRegion || 'ap-south-1',
          s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(key) } },
        };
        opts.log?.(`[s3] ${fn.name}: ${record.eventName} ${key}`);
        const delivery = deliver(fn.name, { Records: [delivered] }, key).finally(() =>
          pending.delete(delivery),
        );
        pending.add(delivery);
      }
    }
  });

  return {
    get pending() {
      return pending.size;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    stop() {
      stopped = true;
      unsubscribe();
      for (const [timer, wake] of timers) {
        clearTimeout(timer);
        wake();
      }
      timers.clear();
    },
  };
}
