/**
 * The platform's event plumbing end to end with a fixture app (test/e2e/fixtures/events): objects put into
 * s3rver raise real S3 event records, which invoke the bundled S3-triggered function in its worker; that
 * function starts the fixture state machine (the ASL file CDK deploys) on the local Step Functions
 * endpoint through @aws-sdk/client-sfn, whose every Task runs the real bundled handler.
 */
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startPlatform, type Platform } from '../../local/platform';
import { eventsApp } from './fixtures/events/app';

let platform: Platform;
let s3: S3Client;
let sfn: SFNClient;
let bucket: string;
let machineArn: string;
const logs: string[] = [];

beforeAll(async () => {
  platform = await startPlatform({
    port: 0,
    app: eventsApp,
    bundling: 'on-demand',
    seed: false,
    cache: false,
    schedules: false,
    logs: 'silent',
    log: (line) => logs.push(line),
    s3RetryDelaysMs: [20, 40],
  });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  s3 = new S3Client({
    endpoint: platform.resources.endpoints.s3,
    region: 'ap-south-1',
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  sfn = new SFNClient({ endpoint: platform.stepFunctions.endpoint, region: 'ap-south-1', credentials });
  bucket = platform.resources.bucketNames.Drops!;
  machineArn = platform.resources.stateMachineArns!.Pipeline!;
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  sfn?.destroy();
  await platform?.stop();
}, 30_000);

const drop = (key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }));
const keys = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
    (o) => o.Key!,
  );
const result = async (name: string) =>
  JSON.parse(
    await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `results/${name}.json` }))
    ).Body!.transformToString(),
  ) as { counts?: number[]; error?: { Error: string; Cause: string } };
const executionsOf = async (key: string) => {
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn }));
  const described = await Promise.all(
    executions.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))),
  );
  return described.filter((e) => (JSON.parse(e.input!) as { key: string }).key === key);
};

/** Polls a condition (S3 event records reach the platform asynchronously, after the PUT returns). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
/** Waits until the file's first delivery has been attempted, then until everything it started is done. */
async function settled(key: string, attempts = 1): Promise<void> {
  await until(async () => (await keys(`attempts/${key}/`)).length >= attempts);
  await platform.events.idle();
}

// Each case waits on conditions across several processes (s3rver, the workers, the machine): bounded
// generously, since a loaded 2-core machine takes seconds for what takes milliseconds when it is idle.
jest.setTimeout(30_000);

describe('S3 notifications and the state machine on the local platform', () => {
  it('runs the ASL end to end for a dropped file: split, a Map of counts, the recorded result', async () => {
    await drop('incoming/five.txt', 'a\nb\nc\nd\ne\n');
    await settled('incoming/five.txt');
    const [execution, ...more] = await executionsOf('incoming/five.txt');
    expect(more).toEqual([]);
    expect(execution!.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution!.output!).counts).toEqual([2, 2, 1]);
    expect((await result('five')).counts).toEqual([2, 2, 1]);
  });

  it('catches a failing Task into the failure path and fails the execution with its Fail state', async () => {
    await drop('incoming/bad.txt', 'a\nboom\nc\n');
    await settled('incoming/bad.txt');
    const [execution] = await executionsOf('incoming/bad.txt');
    expect(execution).toMatchObject({ status: 'FAILED', error: 'PipelineFailed' });
    const recorded = await result('bad');
    expect(recorded.error?.Error).toBe('BadPart');
    expect(JSON.parse(recorded.error!.Cause)).toMatchObject({
      errorType: 'BadPart',
      errorMessage: 'a part contains boom',
    });
  });

  it('applies a file delivered twice (the same object put again) once: the second start is ExecutionAlreadyExists', async () => {
    await drop('incoming/twice.txt', 'x\ny\n');
    await settled('incoming/twice.txt');
    await drop('incoming/twice.txt', 'x\ny\n');
    await settled('incoming/twice.txt', 2);
    expect(await keys('attempts/incoming/twice.txt/')).toHaveLength(2);
    const executions = await executionsOf('incoming/twice.txt');
    expect(executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('retries a failing S3-triggered invocation twice, like Lambda async retries', async () => {
    await drop('incoming/flaky.txt', 'x\n');
    await settled('incoming/flaky.txt', 3);
    expect(await keys('attempts/incoming/flaky.txt/')).toHaveLength(3);
    expect((await executionsOf('incoming/flaky.txt')).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(logs.filter((l) => l.includes('OnDrop failed for incoming/flaky.txt'))).toHaveLength(2);
  });

  it('sends the key URL-encoded as S3 does', async () => {
    await drop('incoming/with space+plus.txt', 'x\n');
    await settled('incoming/with space+plus.txt');
    expect((await executionsOf('incoming/with space+plus.txt')).map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(logs.some((l) => l.includes('failed for incoming/with space'))).toBe(false);
  });

  it('invokes nothing for keys outside the prefix or with another suffix', async () => {
    await drop('elsewhere/file.txt', 'x\n');
    await drop('incoming/file.csv', 'x\n');
    // Event records arrive in order: once a later matching file is handled, the two before it were seen.
    await drop('incoming/sentinel.txt', 'x\n');
    await settled('incoming/sentinel.txt');
    expect(await keys('attempts/elsewhere/')).toEqual([]);
    expect(await keys('attempts/incoming/file.csv')).toEqual([]);
    expect(await executionsOf('incoming/file.csv')).toEqual([]);
  });
});
