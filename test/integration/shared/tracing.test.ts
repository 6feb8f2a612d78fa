/**
 * The traces a sampled request produces in Lambda, captured from the X-Ray SDK's UDP output: the real
 * GetProduct handler against DynamoDB Local, with the environment Lambda's active tracing gives a function.
 * The X-Ray instrumentation is loaded on the first sampled request (functions/shared/tracing.ts), and the
 * segments must be those the Powertools middleware produced when it was loaded at init.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { invoke } from '../../support/lambda';

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
let socket: Socket;
const received: Subsegment[] = [];

beforeAll(async () => {
  socket = createSocket('udp4');
  socket.on('message', (message) => {
    // Each datagram is a header line, then one (sub)segment document.
    const [, body] = message.toString('utf8').split('\n');
    if (body) received.push(JSON.parse(body) as Subsegment);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    _HANDLER: 'index.handler',
    POWERTOOLS_SERVICE_NAME: 'catalog',
  });
});
afterAll(() => new Promise<void>((resolve) => socket.close(() => resolve())));

async function request(sampled: boolean, handler: Parameters<typeof invoke>[0]) {
  const parent = ulid().toLowerCase().slice(0, 16);
  process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ROOT};Parent=${parent};Sampled=${sampled ? 1 : 0}`;
  const response = await invoke(handler, {
    path: `/v1/products/${ulid()}`,
    pathParameters: { productId: ulid() },
  });
  return { response, parent };
}

const waitFor = async (count: number) => {
  const deadline = Date.now() + 5_000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

it('traces nothing of unsampled requests, then the handler and its DynamoDB call of a sampled one', async () => {
  const { handler } = await import('../../../functions/catalog/handlers/get-product');

  const unsampled = await request(false, handler);
  expect(unsampled.response.status).toBe(404);
  const sampled = await request(true, handler);
  expect(sampled.response.status).toBe(404);
  await waitFor(2);

  const handlerSegment = received.find((s) => s.name === '## index.handler');
  const dynamodb = received.find((s) => s.name === 'DynamoDB');
  expect(handlerSegment).toMatchObject({
    trace_id: TRACE_ROOT,
    parent_id: sampled.parent,
    annotations: { ColdStart: false, Service: 'catalog' },
  });
  // Responses carry tokens and personal data: never recorded.
  expect(JSON.stringify(handlerSegment?.metadata ?? {})).not.toContain('index.handler response');
  expect(dynamodb).toMatchObject({ namespace: 'aws', aws: { operation: 'GetItem' } });
  expect(received.every((s) => s.trace_id === TRACE_ROOT)).toBe(true);
});
