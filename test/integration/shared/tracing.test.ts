/**
 * The traces a sampled request produces in Lambda, captured from the X-Ray SDK's UDP output: the real
 * GetProduct bundle against DynamoDB Local, with the environment Lambda's active tracing gives a function.
 * The X-Ray instrumentation is loaded on the first sampled request (functions/shared/tracing.ts, a chunk
 * loaded on demand), and the segments must be those the Powertools middleware produced when it was loaded
 * at init. The function runs in a process of its own (fixtures/traced-invocations.mjs): the instrumentation
 * patches process-wide state that would leak into the other test files of this Jest worker.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import { app } from '../../../lib/app/app';
import { bundle } from '../../../local/runtime/bundle';
import { apiEvent } from '../../support/lambda';

jest.setTimeout(60_000);

interface Subsegment {
  name: string;
  annotations?: Record<string, unknown>;
  aws?: { operation?: string; table_name?: string };
  namespace?: string;
  parent_id?: string;
  trace_id?: string;
  metadata?: Record<string, unknown>;
}

const TRACE_ROOT = '1-67890abc-0123456789abcdef01234567';
const INVOCATIONS = join(__dirname, 'fixtures', 'traced-invocations.mjs');
let socket: Socket;
let outDir: string;
const received: Subsegment[] = [];

beforeAll(async () => {
  socket = createSocket('udp4');
  socket.on('message', (message) => {
    // Each datagram is a header line, then one (sub)segment document.
    const [, body] = message.toString('utf8').split('\n');
    if (body) received.push(JSON.parse(body) as Subsegment);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  outDir = await mkdtemp(join(tmpdir(), 'zepto-tracing-'));
  await bundle(
    app.functions.filter((fn) => fn.name === 'GetProduct'),
    { outDir },
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  await rm(outDir, { recursive: true, force: true });
});

/** Invokes GetProduct once per trace header in a fresh environment; the statuses it answered. */
async function invokeTraced(traceHeaders: string[], until: () => boolean): Promise<number[]> {
  const file = join(outDir, 'invocations.json');
  const event = () => apiEvent({ path: `/v1/products/${ulid()}`, pathParameters: { productId: ulid() } });
  await writeFile(file, JSON.stringify(traceHeaders.map((traceHeader) => ({ traceHeader, event: event() }))));
  const { port } = socket.address() as AddressInfo;
  const child = spawn(process.execPath, [INVOCATIONS, join(outDir, 'GetProduct', 'index.mjs'), file], {
    env: {
      ...process.env,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      _HANDLER: 'index.handler',
      POWERTOOLS_SERVICE_NAME: 'catalog',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    let exited = false;
    child.once('exit', () => (exited = true));
    const answered = () => out.endsWith('\n');
    const deadline = Date.now() + 30_000;
    while (!(answered() && until()) && !(exited && !answered()) && Date.now() < deadline) await sleep(10);
    return JSON.parse(out) as number[];
  } finally {
    child.kill();
  }
}

const header = (parent: string, sampled: boolean) =>
  `Root=${TRACE_ROOT};Parent=${parent};Sampled=${sampled ? 1 : 0}`;

it('traces nothing of unsampled requests, then the handler and its DynamoDB call of a sampled one', async () => {
  const parent = ulid().toLowerCase().slice(0, 16);
  const sampledParent = ulid().toLowerCase().slice(0, 16);
  const statuses = await invokeTraced(
    [header(parent, false), header(sampledParent, true)],
    () => received.some((s) => s.name === '## index.handler') && received.some((s) => s.name === 'DynamoDB'),
  );
  expect(statuses).toEqual([404, 404]);

  const handlerSegment = received.find((s) => s.name === '## index.handler');
  const dynamodb = received.find((s) => s.name === 'DynamoDB');
  expect(handlerSegment).toMatchObject({
    trace_id: TRACE_ROOT,
    parent_id: sampledParent,
    annotations: { ColdStart: false, Service: 'catalog' },
  });
  // Responses carry tokens and personal data: never recorded.
  expect(JSON.stringify(handlerSegment?.metadata ?? {})).not.toContain('index.handler response');
  expect(dynamodb).toMatchObject({ namespace: 'aws', aws: { operation: 'GetItem' } });
  expect(received.every((s) => s.trace_id === TRACE_ROOT)).toBe(true);
});
