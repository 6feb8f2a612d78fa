/**
 * Runs bundled functions like Lambda does, in worker threads.
 *
 * Each worker is one execution environment: its own module scope (SDK clients, Powertools singletons,
 * caches), created lazily on the first invocation that finds no idle environment (a cold start, with an
 * init phase), started with ONLY the function's environment (`env`, never process.env) and a heap limit
 * from the function's memory size. An environment handles one invocation at a time, as in Lambda: module
 * singletons such as the Powertools logger context and metrics buffer are per invocation, and two
 * invocations interleaving in one module scope would mix them. Concurrency comes from a small pool per
 * function (default 4 environments): a request that finds every environment busy gets a new one up to the
 * limit, and waits in line beyond it. Idle environments are reclaimed after a while, as Lambda does.
 *
 * A function that outlives its timeout is stopped (the worker is terminated, so the next request cold
 * starts) and the invocation fails with Lambda's "Task timed out" error; a crash, an out-of-memory or an
 * init failure likewise fails the invocation and discards the environment.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from '../../lib/app/defaults';

export interface LocalFunction {
  /** Logical name from the app definition. */
  readonly name: string;
  /** The bundle (ESM) exporting `handler`, or how to get it (built on demand by local/runtime/bundle.ts). */
  readonly bundle: string | (() => Promise<string>);
  /** The complete environment of the function (lambdaEnvironment()). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

export type LogMode = 'pretty' | 'json' | 'silent';

export interface RunnerOptions {
  /** Environments per function at most (default 4, or ZEPTO_LAMBDA_CONCURRENCY). */
  readonly concurrency?: number;
  /** Idle environments are stopped after this long (default 10 minutes). */
  readonly idleTimeoutMs?: number;
  /** Time allowed for the init phase (module loading), as Lambda's 10 s. */
  readonly initTimeoutMs?: number;
  /** What to do with the functions' stdout/stderr (Powertools JSON logs): default 'pretty'. */
  readonly logs?: LogMode;
  /** Where log lines go (default process.stdout). */
  readonly write?: (line: string) => void;
}

/** A Lambda error result, as the Invoke API returns it with X-Amz-Function-Error. */
export interface FunctionError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvokeResult =
  | { readonly ok: true; readonly payload: string; readonly coldStart: boolean; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly error: FunctionError;
      readonly coldStart: boolean;
      readonly durationMs: number;
    };

export interface RunnerStats {
  readonly name: string;
  readonly environments: number;
  readonly busy: number;
  readonly queued: number;
  readonly coldStarts: number;
  readonly invocations: number;
}

const WORKER_SCRIPT = join(__dirname, 'lambda-worker.mjs');
const DEFAULT_CONCURRENCY = 4;

export class LambdaRunner {
  private readonly pools = new Map<string, Pool>();
  private stopped = false;
  /** Execution environments per function. */
  readonly concurrency: number;

  constructor(functions: readonly LocalFunction[], opts: RunnerOptions = {}) {
    const settings: PoolSettings = {
      concurrency: opts.concurrency ?? (Number(process.env.ZEPTO_LAMBDA_CONCURRENCY) || DEFAULT_CONCURRENCY),
      idleTimeoutMs: opts.idleTimeoutMs ?? 10 * 60_000,
      initTimeoutMs: opts.initTimeoutMs ?? 10_000,
      logs: opts.logs ?? 'pretty',
      write: opts.write ?? ((line) => process.stdout.write(`${line}\n`)),
    };
    if (settings.concurrency < 1) throw new Error('concurrency must be at least 1');
    this.concurrency = settings.concurrency;
    for (const fn of functions) {
      if (this.pools.has(fn.name)) throw new Error(`Duplicate function ${fn.name}`);
      this.pools.set(fn.name, new Pool(fn, settings));
    }
  }

  /** Invokes a function with an event (sent as JSON, like Lambda's Invoke API). */
  invoke(name: string, event: unknown): Promise<InvokeResult> {
    if (this.stopped) return Promise.reject(new Error('The Lambda runner has been stopped'));
    const pool = this.pools.get(name);
    if (!pool) return Promise.reject(new Error(`No local function named ${name}`));
    return pool.invoke(JSON.stringify(event));
  }

  /**
   * Changes one function's environment limit (the benchmarks give checkout as many environments as
   * connections, as Lambda would scale to them); more environments start only when requests need them.
   */
  setConcurrency(name: string, concurrency: number): void {
    if (concurrency < 1) throw new Error('concurrency must be at least 1');
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`No local function named ${name}`);
    pool.concurrency = concurrency;
  }

  stats(): RunnerStats[] {
    return [...this.pools.values()].map((p) => p.stats());
  }

  /** Terminates every environment; queued and running invocations fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pools.values()].map((p) => p.stop()));
  }
}

// ---------------------------------------------------------------------------------------------------------

interface PoolSettings {
  readonly concurrency: number;
  readonly idleTimeoutMs: number;
  readonly initTimeoutMs: number;
  readonly logs: LogMode;
  readonly write: (line: string) => void;
}

interface Pending {
  readonly event: string;
  readonly enqueued: number;
  resolve(result: InvokeResult): void;
  reject(err: Error): void;
}

class Pool {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private readonly queue: Pending[] = [];
  private coldStarts = 0;
  private invocations = 0;
  private stopping = false;
  private bundleFile: Promise<string> | undefined;
  /** The bundle, once there is one. */
  private file: string | undefined;
  concurrency: number;

  constructor(
    private readonly fn: LocalFunction,
    private readonly settings: PoolSettings,
  ) {
    this.concurrency = settings.concurrency;
  }

  async invoke(event: string): Promise<InvokeResult> {
    const fn = this.fn;
    this.bundleFile ??= typeof fn.bundle === 'string' ? Promise.resolve(fn.bundle) : fn.bundle();
    try {
      this.file = await this.bundleFile;
    } catch (err) {
      // As Lambda answers when the handler's module cannot be loaded.
      const errorMessage = err instanceof Error ? err.message : String(err);
      return {
        ok: false,
        error: { errorType: 'Runtime.ImportModuleError', errorMessage },
        coldStart: true,
        durationMs: 0,
      };
    }
    // Stopped while its bundle was being built: nothing would take it from the queue.
    if (this.stopping) throw new Error('The Lambda runner has been stopped');
    return new Promise((resolve, reject) => {
      this.queue.push({ event, enqueued: performance.now(), resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    const file = this.file;
    if (file === undefined) return;
    while (this.queue.length > 0 && !this.stopping) {
      // Most recently used first: keeps the fewest environments warm, as Lambda tends to.
      let env = this.idle.pop();
      if (!env) {
        if (this.all.size >= this.concurrency) return;
        env = new Environment(this.fn, file, this.settings, ++this.coldStarts, (e) => this.discard(e));
        this.all.add(env);
      }
      const next = this.queue.shift() as Pending;
      this.invocations++;
      const current = env;
      current.run(next.event).then(
        (result) => {
          next.resolve(result);
          this.release(current);
        },
        (err: Error) => {
          next.reject(err);
          this.release(current);
        },
      );
    }
  }

  private release(env: Environment): void {
    if (env.alive && !this.stopping) {
      // Terminating it discards it from the pool (onGone).
      env.markIdle(() => void env.terminate());
      this.idle.push(env);
    }
    this.dispatch();
  }

  private discard(env: Environment): void {
    const i = this.idle.indexOf(env);
    if (i >= 0) this.idle.splice(i, 1);
    this.all.delete(env);
  }

  stats(): RunnerStats {
    return {
      name: this.fn.name,
      environments: this.all.size,
      busy: this.all.size - this.idle.length,
      queued: this.queue.length,
      coldStarts: this.coldStarts,
      invocations: this.invocations,
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const pending of this.queue.splice(0))
      pending.reject(new Error('The Lambda runner has been stopped'));
    await Promise.all([...this.all].map((env) => env.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}

type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'initError'; error: FunctionError }
  | { type: 'result'; id: number; payload: string }
  | { type: 'error'; id: number; error: FunctionError };

/** One worker thread = one execution environment. */
class Environment {
  private readonly worker: Worker;
  private readonly ready: Promise<FunctionError | undefined>;
  private readonly logStream: string;
  private invocation:
    | {
        id: number;
        requestId: string;
        settle: (outcome: { payload: string } | { error: FunctionError }) => void;
      }
    | undefined;
  private nextId = 0;
  private initialised = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private crashed: FunctionError | undefined;
  alive = true;

  constructor(
    private readonly fn: LocalFunction,
    bundle: string,
    private readonly settings: PoolSettings,
    instance: number,
    private readonly onGone: (env: Environment) => void,
  ) {
    const memoryMb = fn.memoryMb ?? DEFAULT_MEMORY_MB;
    const functionName = fn.env.AWS_LAMBDA_FUNCTION_NAME ?? fn.name;
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    this.logStream = `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
    this.worker = new Worker(WORKER_SCRIPT, {
      name: `${fn.name}#${instance}`,
      // The function's own variables only: a copy, so nothing leaks in from (or out to) this process.
      env: { ...fn.env, AWS_LAMBDA_LOG_STREAM_NAME: this.logStream },
      // Not the parent's flags: under tsx or Jest those would load TypeScript loaders (and a loader
      // thread) into every environment. A Lambda runs plain node on the bundle.
      execArgv: [],
      // Heap bounded by the configured memory, like the Lambda sandbox.
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
      workerData: {
        bundle,
        handler: 'handler',
        functionName,
        functionVersion: '$LATEST',
        memoryMb,
        region: fn.env.AWS_REGION ?? 'ap-south-1',
        logGroupName: fn.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
        logStreamName: this.logStream,
      },
    });
    this.pipeLogs(this.worker.stdout);
    this.pipeLogs(this.worker.stderr);

    let initDone: (error: FunctionError | undefined) => void = () => undefined;
    this.ready = new Promise((resolve) => (initDone = resolve));
    const initTimer = setTimeout(
      () =>
        initDone({
          errorType: 'Sandbox.Timedout',
          errorMessage: `INIT phase timed out after ${(settings.initTimeoutMs / 1000).toFixed(2)} seconds`,
        }),
      settings.initTimeoutMs,
    );

    this.worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'ready':
          clearTimeout(initTimer);
          this.initialised = true;
          initDone(undefined);
          return;
        case 'initError':
          clearTimeout(initTimer);
          initDone(message.error);
          return;
        case 'result':
          if (this.invocation?.id === message.id) this.invocation.settle({ payload: message.payload });
          return;
        case 'error':
          if (this.invocation?.id === message.id) this.invocation.settle({ error: message.error });
          return;
      }
    });
    this.worker.on('error', (err: Error & { code?: string }) => {
      this.crashed =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: out of memory' }
          : {
              errorType: err.name === 'Error' ? 'Runtime.UnhandledError' : err.name,
              errorMessage: `Runtime exited with error: ${err.message}`,
              trace: String(err.stack ?? '').split('\n'),
            };
    });
    this.worker.on('exit', (code) => {
      clearTimeout(initTimer);
      const wasAlive = this.alive;
      this.alive = false;
      clearTimeout(this.idleTimer);
      const error = this.crashed ?? {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${this.invocation?.requestId ?? '-'} Error: Runtime exited with error: exit status ${code}`,
      };
      initDone(error);
      this.invocation?.settle({ error });
      if (wasAlive) this.onGone(this);
    });
  }

  /** Runs one invocation; resolves with the result or the function error, never rejects for function faults. */
  async run(event: string): Promise<InvokeResult> {
    clearTimeout(this.idleTimer);
    const coldStart = !this.initialised;
    const started = performance.now();
    const initError = await this.ready;
    if (initError) {
      await this.terminate();
      return { ok: false, error: initError, coldStart, durationMs: performance.now() - started };
    }
    const timeoutSeconds = this.fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    const requestId = randomUUID();
    const invokeStarted = performance.now();
    const deadline = Date.now() + timeoutSeconds * 1000;
    const outcome = await new Promise<{ payload: string } | { error: FunctionError }>((resolve) => {
      const id = ++this.nextId;
      const timer = setTimeout(() => {
        const seconds = ((performance.now() - invokeStarted) / 1000).toFixed(2);
        const error = {
          errorType: 'Sandbox.Timedout',
          errorMessage: `${requestId} Task timed out after ${seconds} seconds`,
        };
        this.log(
          JSON.stringify({ level: 'ERROR', requestId, message: `Task timed out after ${seconds} seconds` }),
        );
        settle({ error });
        // Lambda stops the sandbox on a timeout: the next invocation gets a fresh environment.
        void this.terminate();
      }, timeoutSeconds * 1000);
      const settle = (value: { payload: string } | { error: FunctionError }) => {
        clearTimeout(timer);
        if (this.invocation?.id === id) this.invocation = undefined;
        resolve(value);
      };
      this.invocation = { id, requestId, settle };
      this.worker.postMessage({ type: 'invoke', id, requestId, deadline, event });
    });
    const durationMs = performance.now() - started;
    return 'payload' in outcome
      ? { ok: true, payload: outcome.payload, coldStart, durationMs }
      : { ok: false, error: outcome.error, coldStart, durationMs };
  }

  markIdle(onIdle: () => void): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(onIdle, this.settings.idleTimeoutMs);
    this.idleTimer.unref();
  }

  async terminate(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (!this.alive) return;
    this.alive = false;
    this.onGone(this);
    await this.worker.terminate();
  }

  private pipeLogs(stream: Readable): void {
    if (this.settings.logs === 'silent') {
      stream.resume();
      return;
    }
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.log(line));
  }

  private log(line: string): void {
    if (this.settings.logs === 'silent') return;
    const formatted = this.settings.logs === 'json' ? line : prettyLogLine(this.fn.name, line);
    if (formatted !== undefined) this.settings.write(formatted);
  }
}

/** Keys every Powertools log line carries; the pretty format leaves them out. */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'requestId',
]);

/**
 * A compact, human line for one Powertools JSON log line: `[Function] LEVEL message {extra}`. CloudWatch
 * EMF metric lines are left out (they matter to CloudWatch, not to a developer's console); ZEPTO_LOG_FORMAT=json
 * shows every line as the function wrote it.
 */
export function prettyLogLine(fn: string, line: string): string | undefined {
  // Powertools Metrics warns on every invocation that publishes no metric; useful in CloudWatch, noise here.
  if (line.startsWith('No application metrics to publish')) return undefined;
  if (!line.startsWith('{')) return `[${fn}] ${line}`;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `[${fn}] ${line}`;
  }
  if ('_aws' in record) return undefined;
  const extra = Object.fromEntries(Object.entries(record).filter(([k]) => !STANDARD_KEYS.has(k)));
  const level = typeof record.level === 'string' ? record.level : 'INFO';
  const message = typeof record.message === 'string' ? record.message : JSON.stringify(record.message);
  const rest = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
  return `[${fn}] ${level} ${message}${rest}`;
}
