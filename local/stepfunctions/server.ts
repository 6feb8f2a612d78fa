/**
 * A local Step Functions endpoint on 127.0.0.1: the AWS JSON 1.0 protocol (`X-Amz-Target:
 * AWSStepFunctions.<Operation>`) for StartExecution, DescribeExecution, ListExecutions and StopExecution —
 * enough for `@aws-sdk/client-sfn` with `AWS_ENDPOINT_URL_SFN` — in front of `aws-local-stepfunctions`,
 * which interprets the ASL. Every Task state is overridden (`taskResourceLocalHandlers`, by state name)
 * by an invocation of the real bundled function through the local Lambda runner, so no Task ever calls AWS.
 *
 * Only this protocol shim is written by hand: no maintained offline Step Functions server exists on npm
 * or in Debian (AWS's Step Functions Local is a Java download that is no longer maintained), and
 * `aws-local-stepfunctions` is an interpreter without a server. Behaviour follows the API reference:
 * a named execution started again with the same input while it runs returns the first response; with
 * another input, or once it has closed, `ExecutionAlreadyExists` (400). Executions live in memory.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { LOCAL_ACCOUNT, LOCAL_REGION, localStateMachineName, type LocalStateMachine } from './machines';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Invokes a Task's function; resolves with Lambda's result (payload JSON or a function error). */
export type TaskInvoker = (
  functionName: string,
  input: unknown,
) => Promise<
  | { readonly ok: true; readonly payload: string }
  | {
      readonly ok: false;
      readonly error: { errorType: string; errorMessage: string; trace?: readonly string[] };
    }
>;

export interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** Settles (never rejects) when the execution closes. */
  readonly done: Promise<Execution>;
}

export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL_SFN of every function. */
  readonly endpoint: string;
  /** Makes machines startable; Tasks run through `invoke`. Replaces earlier registrations. */
  register(machines: readonly LocalStateMachine[], invoke: TaskInvoker): void;
  /** Executions, newest first (of one machine when given). */
  executions(stateMachineArn?: string): Execution[];
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface StepFunctionsOptions {
  readonly port?: number;
  readonly host?: string;
  readonly log?: (line: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_INPUT_BYTES = 256 * 1024;
const ERROR_NAMESPACE = 'com.amazonaws.swf.service.v2.model#';
// A name may not contain whitespace, brackets, wildcards, these specials or control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what AWS refuses in a name
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startStepFunctions(opts: StepFunctionsOptions = {}): Promise<LocalStepFunctions> {
  const host = opts.host ?? '127.0.0.1';
  let machines = new Map<string, LocalStateMachine>();
  let invoke: TaskInvoker = () => Promise.reject(new Error('No Task invoker registered'));
  const executions = new Map<string, Execution>();
  const running = new Map<string, () => void>();
  const resolvers = new Map<string, (e: Execution) => void>();

  const execute = (machine: LocalStateMachine, execution: Execution, resolve: (e: Execution) => void) => {
    const handlers = Object.fromEntries(
      [...machine.tasks].map(([state, fn]) => [
        state,
        async (input: unknown) => {
          const result = await invoke(fn, input);
          if (result.ok) return JSON.parse(result.payload) as never;
          // As Step Functions reports a Lambda function error: Error = errorType, Cause = the error as JSON.
          const err = new Error(JSON.stringify(result.error));
          err.name = result.error.errorType;
          throw err;
        },
      ]),
    );
    const sm = new StateMachine(machine.definition as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    const run = sm.run(JSON.parse(execution.input) as never, {
      overrides: { taskResourceLocalHandlers: handlers },
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          Input: JSON.parse(execution.input) as never,
          StartTime: execution.startDate.toISOString(),
          RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/zepto-local-${machine.name}`,
        },
        StateMachine: { Id: machine.arn, Name: localStateMachineName(machine.name) },
      },
    });
    running.set(execution.executionArn, run.abort);
    run.result.then(
      (output) => close(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (err: unknown) => {
        if (execution.status !== 'RUNNING') return; // stopped
        if (err instanceof ExecutionTimeoutError)
          return close(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
        if (err instanceof ExecutionAbortedError) return close(execution, 'ABORTED', {});
        const cause = err instanceof ExecutionError && err.cause instanceof Error ? err.cause : err;
        const failure = cause instanceof Error ? cause : new Error(String(cause));
        close(execution, 'FAILED', { error: failure.name, cause: failure.message });
      },
    );
    const close = (e: Execution, status: ExecutionStatus, fields: Partial<Execution>) => {
      if (e.status !== 'RUNNING') return;
      Object.assign(e, fields, { status, stopDate: new Date() });
      running.delete(e.executionArn);
      resolvers.delete(e.executionArn);
      opts.log?.(`[stepfunctions] ${machine.name} ${e.name}: ${status}${e.error ? ` (${e.error})` : ''}`);
      resolve(e);
    };
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    StartExecution(body) {
      const arn = stringField(body, 'stateMachineArn', true)!;
      const machine = machines.get(arn);
      if (!machine) throw notFoundMachine(arn);
      const name = stringField(body, 'name') ?? randomUUID();
      if (name.length < 1 || name.length > 80 || INVALID_NAME.test(name))
        throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
      const input = stringField(body, 'input') ?? '{}';
      if (Buffer.byteLength(input) > MAX_INPUT_BYTES)
        throw new ApiError('InvalidExecutionInput', 'Input exceeds the 262144 bytes limit');
      try {
        JSON.parse(input);
      } catch {
        throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input}'`);
      }
      const executionArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${localStateMachineName(machine.name)}:${name}`;
      const existing = executions.get(executionArn);
      if (existing) {
        if (existing.status === 'RUNNING' && existing.input === input)
          return { executionArn, startDate: epoch(existing.startDate) };
        throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
      let resolve!: (e: Execution) => void;
      const done = new Promise<Execution>((r) => (resolve = r));
      const execution: Execution = {
        executionArn,
        stateMachineArn: arn,
        name,
        input,
        startDate: new Date(),
        status: 'RUNNING',
        done,
      };
      executions.set(executionArn, execution);
      resolvers.set(executionArn, resolve);
      opts.log?.(`[stepfunctions] ${machine.name} ${name}: started`);
      execute(machine, execution, resolve);
      return { executionArn, startDate: epoch(execution.startDate) };
    },
    DescribeExecution(body) {
      const e = findExecution(stringField(body, 'executionArn', true)!);
      return {
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: epoch(e.startDate),
        ...(e.stopDate ? { stopDate: epoch(e.stopDate) } : {}),
        input: e.input,
        inputDetails: { included: true },
        ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
        ...(e.error !== undefined ? { error: e.error } : {}),
        ...(e.cause !== undefined ? { cause: e.cause } : {}),
      };
    },
    ListExecutions(body) {
      const arn = stringField(body, 'stateMachineArn', true)!;
      if (!machines.has(arn)) throw notFoundMachine(arn);
      const filter = stringField(body, 'statusFilter');
      const max =
        typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 1000) : 100;
      const start =
        body.nextToken === undefined ? 0 : Number(Buffer.from(String(body.nextToken), 'base64url'));
      if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidToken', 'Invalid Token');
      const all = list(arn).filter((e) => !filter || e.status === filter);
      const page = all.slice(start, start + max);
      return {
        executions: page.map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: epoch(e.startDate),
          ...(e.stopDate ? { stopDate: epoch(e.stopDate) } : {}),
        })),
        ...(start + max < all.length
          ? { nextToken: Buffer.from(String(start + max)).toString('base64url') }
          : {}),
      };
    },
    StopExecution(body) {
      const e = findExecution(stringField(body, 'executionArn', true)!);
      if (e.status === 'RUNNING') {
        const abort = running.get(e.executionArn);
        Object.assign(e, {
          status: 'ABORTED',
          stopDate: new Date(),
          error: stringField(body, 'error'),
          cause: stringField(body, 'cause'),
        });
        running.delete(e.executionArn);
        abort?.();
        resolvers.get(e.executionArn)?.(e);
        resolvers.delete(e.executionArn);
      }
      return { stopDate: epoch(e.stopDate ?? new Date()) };
    },
  };

  const list = (arn?: string) =>
    [...executions.values()]
      .filter((e) => !arn || e.stateMachineArn === arn)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  const findExecution = (arn: string): Execution => {
    const e = executions.get(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': requestId,
      });
      res.end(text);
    };
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSStepFunctions.') ? target.slice(17) : '';
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      const text = await readBody(req);
      if (req.method !== 'POST' || !run)
        throw new ApiError('UnknownOperationException', `Unsupported operation: ${target || req.method}`);
      let body: unknown;
      try {
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        throw new ApiError('SerializationException', 'Request body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new ApiError('SerializationException', 'Request body is not a JSON object');
      send(200, run(body as Record<string, unknown>));
    } catch (err) {
      if (err instanceof ApiError)
        send(400, { __type: `${ERROR_NAMESPACE}${err.type}`, message: err.message });
      else send(500, { __type: `${ERROR_NAMESPACE}InternalFailure`, message: String(err) });
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${host}:${port}`,
    register(next, taskInvoker) {
      machines = new Map(next.map((m) => [m.arn, m]));
      invoke = taskInvoker;
    },
    executions: list,
    async idle() {
      for (;;) {
        const open = list().filter((e) => e.status === 'RUNNING');
        if (open.length === 0) return;
        await Promise.all(open.map((e) => e.done));
      }
    },
    async close() {
      for (const abort of running.values()) abort();
      running.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function notFoundMachine(arn: string): ApiError {
  return /^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)
    ? new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`)
    : new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
}

function stringField(body: Record<string, unknown>, field: string, required = false): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) {
    if (required) throw new ApiError('ValidationException', `${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ApiError('ValidationException', `${field} must be a string`);
  return value;
}

/** JSON 1.0 timestamps are epoch seconds. */
const epoch = (date: Date): number => date.getTime() / 1000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('ValidationException', 'Request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
