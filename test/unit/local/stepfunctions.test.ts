/**
 * The local Step Functions endpoint through the real @aws-sdk/client-sfn: the JSON 1.0 protocol, AWS's
 * rules for named executions, errors as the SDK's exception classes, and Task errors as Step Functions
 * reports Lambda function errors. Tasks are fakes here; test/e2e/event-triggers.test.ts runs real bundles.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidName,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LocalStateMachine } from '../../../local/stepfunctions/machines';
import {
  startStepFunctions,
  type LocalStepFunctions,
  type TaskInvoker,
} from '../../../local/stepfunctions/server';

const ARN = 'arn:aws:states:ap-south-1:000000000000:stateMachine:zepto-local-Echo';
const machine: LocalStateMachine = {
  name: 'Echo',
  arn: ARN,
  definition: {
    StartAt: 'Work',
    States: {
      Work: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:ap-south-1:000000000000:function:zepto-local-Work',
        Retry: [{ ErrorEquals: ['Throttled'], IntervalSeconds: 0, MaxAttempts: 2 }],
        Catch: [{ ErrorEquals: ['Caught'], ResultPath: '$.error', Next: 'Handled' }],
        End: true,
      },
      Handled: { Type: 'Pass', End: true },
    },
  },
  tasks: new Map([['Work', 'Work']]),
};

let sfn: LocalStepFunctions;
let client: SFNClient;
/** Each Task invocation waits for the test to release it, unless the input says otherwise. */
const releases: ((result: Awaited<ReturnType<TaskInvoker>>) => void)[] = [];
const calls: { fn: string; input: unknown }[] = [];

beforeAll(async () => {
  sfn = await startStepFunctions();
  sfn.register([machine], (fn, input) => {
    calls.push({ fn, input });
    const i = input as { fail?: string; times?: number };
    if (i.fail) {
      const attempts = calls.filter((c) => JSON.stringify(c.input) === JSON.stringify(input)).length;
      if (!i.times || attempts <= i.times)
        return Promise.resolve({ ok: false, error: { errorType: i.fail, errorMessage: `${i.fail}!` } });
      return Promise.resolve({ ok: true, payload: JSON.stringify({ recovered: attempts }) });
    }
    return new Promise((resolve) => releases.push(resolve));
  });
  client = new SFNClient({
    endpoint: sfn.endpoint,
    region: 'ap-south-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  for (const release of releases) release({ ok: true, payload: 'null' });
  client.destroy();
  await sfn.close();
});

const releaseAll = (payload: unknown) => {
  for (const release of releases.splice(0)) release({ ok: true, payload: JSON.stringify(payload) });
};
const describe_ = (executionArn: string) => client.send(new DescribeExecutionCommand({ executionArn }));

describe('the local Step Functions endpoint', () => {
  it('runs an execution to SUCCEEDED with the Task output as its output', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok-1', input: '{"n":1}' }),
    );
    expect(started.executionArn).toBe(
      'arn:aws:states:ap-south-1:000000000000:execution:zepto-local-Echo:ok-1',
    );
    expect(started.startDate).toBeInstanceOf(Date);
    expect((await describe_(started.executionArn!)).status).toBe('RUNNING');
    await waitFor(() => releases.length === 1);
    releaseAll({ done: true });
    await sfn.idle();
    const done = await describe_(started.executionArn!);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      name: 'ok-1',
      input: '{"n":1}',
      output: '{"done":true}',
    });
    expect(done.stopDate).toBeInstanceOf(Date);
    expect(calls.at(-1)).toEqual({ fn: 'Work', input: { n: 1 } });
  });

  it('answers a repeated start with the same name and input while running with the first response', async () => {
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{}' }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{"other":1}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await waitFor(() => releases.length === 1);
    releaseAll({});
    await sfn.idle();
    const list = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN }));
    expect(list.executions!.filter((e) => e.name === 'dup')).toHaveLength(1);
  });

  it('refuses a name already used by a closed execution, whatever the input (400 ExecutionAlreadyExists)', async () => {
    const err = await client
      .send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok-1', input: '{"n":1}' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionAlreadyExists);
    expect((err as ExecutionAlreadyExists).$metadata.httpStatusCode).toBe(400);
    expect((err as Error).message).toContain('zepto-local-Echo:ok-1');
  });

  it('reports a Task error as FAILED with the error type as Error and the Lambda error as Cause', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, input: '{"fail":"Broken"}' }),
    );
    await sfn.idle();
    const done = await describe_(executionArn!);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Broken');
    expect(JSON.parse(done.cause!)).toEqual({ errorType: 'Broken', errorMessage: 'Broken!' });
  });

  it('lets Retry and Catch match the error type of a Task', async () => {
    const retried = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, input: '{"fail":"Throttled","times":2}' }),
    );
    const caught = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, input: '{"fail":"Caught"}' }),
    );
    await sfn.idle();
    expect(await describe_(retried.executionArn!)).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"recovered":3}',
    });
    const handled = await describe_(caught.executionArn!);
    expect(handled.status).toBe('SUCCEEDED');
    expect(JSON.parse(handled.output!).error.Error).toBe('Caught');
  });

  it('stops a running execution as ABORTED', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, input: '{}' }),
    );
    await client.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'test' }));
    expect(await describe_(executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Manual' });
    releaseAll({});
  });

  it('lists executions newest first, by status, in pages', async () => {
    const all = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN }));
    const times = all.executions!.map((e) => e.startDate!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const failed = await client.send(
      new ListExecutionsCommand({ stateMachineArn: ARN, statusFilter: 'FAILED' }),
    );
    expect(failed.executions!.map((e) => e.status)).toEqual(['FAILED']);
    const page1 = await client.send(new ListExecutionsCommand({ stateMachineArn: ARN, maxResults: 2 }));
    const page2 = await client.send(
      new ListExecutionsCommand({ stateMachineArn: ARN, maxResults: 2, nextToken: page1.nextToken }),
    );
    expect(page1.executions).toHaveLength(2);
    expect([...page1.executions!, ...page2.executions!].map((e) => e.executionArn)).toEqual(
      all.executions!.slice(0, 4).map((e) => e.executionArn),
    );
  });

  it('refuses unknown machines and executions and invalid names with the SDK exceptions', async () => {
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}Nope`, input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(describe_(`${ARN.replace('stateMachine', 'execution')}:missing`)).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'a/b', input: '{}' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: ARN, input: 'not json' })),
    ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
