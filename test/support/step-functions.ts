/**
 * The InventoryImport ASL file run by aws-local-stepfunctions with every Task mapped to a real handler, and a
 * minimal Step Functions endpoint (StartExecution, DescribeExecution over the awsJson1_0 protocol) so code
 * under test starts executions through the real SDK client, names and `ExecutionAlreadyExists` included.
 * For tests until the local platform's runner (another issue) serves the same.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { lambdaContext } from './lambda';

const ROOT = join(__dirname, '../..');
const PLACEHOLDER = /\$\{([A-Za-z0-9]+)Arn\}/g;
const functionArn = (name: string) => `arn:aws:lambda:ap-south-1:000000000000:function:${name}`;

export type TaskHandler = (input: unknown) => Promise<unknown>;
type LambdaHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * A Lambda handler as a Task of the local machine, with a Lambda context whose remaining time counts down
 * from the function's timeout (middy stops a handler that runs out of it, as Lambda would).
 */
export const asTask =
  (handler: LambdaHandler, name = 'task', timeoutMs = 120_000): TaskHandler =>
  (input) => {
    const deadline = Date.now() + timeoutMs;
    return handler(input, { ...lambdaContext(name), getRemainingTimeInMillis: () => deadline - Date.now() });
  };

interface AslState {
  Type: string;
  Resource?: string;
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

/** The ASL with its `${<Function>Arn}` placeholders substituted, and each Task state's function name. */
export function loadMachine(file: string): {
  definition: Record<string, unknown>;
  tasks: Map<string, string>;
} {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const definition = JSON.parse(text.replace(PLACEHOLDER, (_m, fn: string) => functionArn(fn))) as {
    States: Record<string, AslState>;
  };
  const tasks = new Map<string, string>();
  const walk = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task' && state.Resource) tasks.set(name, state.Resource.split(':').pop()!);
      const inner = state.ItemProcessor ?? state.Iterator;
      if (inner) walk(inner.States);
    }
  };
  walk(definition.States);
  return { definition, tasks };
}

export interface Execution {
  readonly name: string;
  readonly input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { name: string; message: string };
  readonly done: Promise<void>;
}

export interface LocalMachine {
  readonly arn: string;
  readonly endpoint: string;
  readonly executions: Map<string, Execution>;
  /** Runs one execution directly (no endpoint). */
  run(input: unknown, overrides?: Record<string, TaskHandler>): Promise<Execution>;
  /** Resolves once every execution started so far has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The machine of `file`, each Task running `handlers[<function name>]`; `overrides` (by function name)
 * replace some of them, for failure injection.
 */
export async function startLocalMachine(
  file: string,
  machineName: string,
  handlers: Record<string, TaskHandler>,
  /** Milliseconds to wait before each retry, by state name (tests: 0, instead of the ASL's backoff). */
  retryIntervalOverrides: Record<string, number> = {},
): Promise<LocalMachine> {
  const { definition, tasks } = loadMachine(file);
  for (const fn of tasks.values())
    if (!handlers[fn]) throw new Error(`No handler for the Task function ${fn} of ${file}`);
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true } });
  const arn = `arn:aws:states:ap-south-1:000000000000:stateMachine:${machineName}`;
  const executions = new Map<string, Execution>();

  const execute = (name: string, input: unknown, overrides: Record<string, TaskHandler> = {}) => {
    const local = Object.fromEntries(
      [...tasks].map(([state, fn]) => [state, overrides[fn] ?? handlers[fn]!]),
    ) as Record<string, (input: unknown) => Promise<unknown>>;
    const execution: Execution = {
      name,
      input,
      status: 'RUNNING',
      done: Promise.resolve()
        .then(
          () =>
            machine.run(input as never, {
              overrides: { taskResourceLocalHandlers: local as never, retryIntervalOverrides },
            }).result,
        )
        .then(
          (output) => {
            execution.status = 'SUCCEEDED';
            execution.output = output;
          },
          (error: Error) => {
            // The runner wraps what failed the execution (a Fail state's error, an uncaught one).
            const cause = error.cause instanceof Error ? error.cause : error;
            execution.status = 'FAILED';
            execution.error = { name: cause.name, message: cause.message };
          },
        ),
    };
    executions.set(name, execution);
    return execution;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(json));
      };
      if (target === 'StartExecution') {
        if (body.stateMachineArn !== arn)
          return reply(400, {
            __type: 'StateMachineDoesNotExist',
            message: `No machine ${body.stateMachineArn}`,
          });
        const name = body.name ?? `exec-${executions.size}`;
        if (!/^[A-Za-z0-9_-]{1,80}$/.test(name))
          return reply(400, { __type: 'InvalidName', message: `Invalid execution name ${name}` });
        if (executions.has(name))
          return reply(400, { __type: 'ExecutionAlreadyExists', message: `Execution ${name} exists` });
        execute(name, JSON.parse(body.input ?? '{}'));
        return reply(200, {
          executionArn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`,
          startDate: Date.now() / 1000,
        });
      }
      if (target === 'DescribeExecution') {
        const name = String(body.executionArn).split(':').pop()!;
        const execution = executions.get(name);
        if (!execution) return reply(400, { __type: 'ExecutionDoesNotExist', message: name });
        return reply(200, {
          executionArn: body.executionArn,
          stateMachineArn: arn,
          name,
          status: execution.status,
          startDate: Date.now() / 1000,
          input: JSON.stringify(execution.input),
          ...(execution.output !== undefined ? { output: JSON.stringify(execution.output) } : {}),
        });
      }
      reply(400, { __type: 'UnknownOperationException', message: target });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    arn,
    endpoint: `http://127.0.0.1:${port}`,
    executions,
    async run(input, overrides) {
      const execution = execute(
        `direct-${executions.size}-${Math.random().toString(36).slice(2)}`,
        input,
        overrides,
      );
      await execution.done;
      return execution;
    },
    async settled() {
      for (;;) {
        const running = [...executions.values()].filter((e) => e.status === 'RUNNING');
        if (running.length === 0) return;
        await Promise.all(running.map((e) => e.done));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
