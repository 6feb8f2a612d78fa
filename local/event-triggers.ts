/**
 * The event plumbing of the local platform beyond HTTP and schedules: S3 notifications into `s3`-triggered
 * functions (local/s3-notifications.ts) and the app's state machines on the local Step Functions endpoint
 * (local/stepfunctions/), every Task invoking its function through the Lambda runner. Used by
 * `startPlatform` and by the integration tests' global setup.
 */
import type { S3Event } from 'aws-lambda';
import { checkS3Triggers } from '../lib/app/s3-triggers';
import { isS3Function, isStateMachineTask, type AppDef, type FunctionDef } from '../lib/app/types';
import type { InvokeResult } from './runtime/runner';
import { startS3Notifications, type S3Notifications } from './s3-notifications';
import { localStateMachines } from './stepfunctions/machines';
import type { LocalStepFunctions } from './stepfunctions/server';

export interface EventTriggerOptions {
  readonly stepFunctions: LocalStepFunctions;
  /** engines.onS3Event */
  readonly subscribe: (listener: (event: S3Event) => void) => () => void;
  readonly bucketNames: Readonly<Record<string, string>>;
  readonly invoke: (name: string, event: unknown) => Promise<InvokeResult>;
  readonly log?: (line: string) => void;
  /** Waits between failed S3 deliveries (default 1 s, 2 s). */
  readonly retryDelaysMs?: readonly number[];
  /** Root the ASL files are relative to (default the repository root). */
  readonly root?: string;
}

export interface EventTriggers {
  readonly s3: S3Notifications;
  /** Resolves when no S3 delivery is pending and no execution runs (repeatedly, until both hold). */
  idle(): Promise<void>;
  stop(): void;
}

/** The functions the event plumbing invokes: S3-triggered ones and state machine Tasks. */
export const eventFunctions = (definition: Pick<AppDef, 'functions'>): FunctionDef[] =>
  definition.functions.filter((fn) => isS3Function(fn) || isStateMachineTask(fn));

export function startEventTriggers(
  definition: Pick<AppDef, 'functions' | 'buckets' | 'stateMachines'>,
  opts: EventTriggerOptions,
): EventTriggers {
  const errors = checkS3Triggers(definition);
  if (errors.length > 0) throw new Error(`Invalid s3 triggers:\n- ${errors.join('\n- ')}`);
  opts.stepFunctions.register(localStateMachines(definition, opts.root), (name, input) =>
    opts.invoke(name, input),
  );
  const s3 = startS3Notifications(definition.functions, {
    subscribe: opts.subscribe,
    bucketNames: opts.bucketNames,
    invoke: opts.invoke,
    log: opts.log,
    retryDelaysMs: opts.retryDelaysMs,
  });
  return {
    s3,
    async idle() {
      // An S3 delivery may start an execution, whose Task may write an object that triggers another.
      for (let i = 0; i < 100; i++) {
        await s3.idle();
        await opts.stepFunctions.idle();
        const busy = opts.stepFunctions.executions().some((e) => e.status === 'RUNNING');
        if (!busy && s3.pending === 0) return;
      }
    },
    stop: () => s3.stop(),
  };
}
