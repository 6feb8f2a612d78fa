import middy from '@middy/core';
import {
  lazyTracing,
  resetTracingForTests,
  traceClient,
  type TracingLoader,
} from '../../../functions/shared/tracing';
import { lambdaContext } from '../../support/lambda';

/** A fake X-Ray instrumentation that records what the middleware asked of it. */
function fakeXRay() {
  const events: string[] = [];
  const instrumented: unknown[] = [];
  const loads: boolean[] = [];
  const load: TracingLoader = async (coldStart) => {
    loads.push(coldStart);
    return {
      instrument: (client) => void instrumented.push(client),
      handlerMiddleware: {
        before: () => void events.push('open'),
        after: () => void events.push('close'),
        onError: () => void events.push('error'),
      },
    };
  };
  return { events, instrumented, loads, load };
}

const client = () => ({ middlewareStack: { add: () => undefined } });

function tracedHandler(sampledRequests: boolean[], load: TracingLoader, body = async () => 'ok') {
  let i = 0;
  return middy()
    .use(lazyTracing({ sampled: () => sampledRequests[i++] ?? false, load }))
    .handler(body);
}

beforeEach(() => {
  resetTracingForTests();
  delete process.env.POWERTOOLS_TRACE_ENABLED;
});

describe('lazyTracing', () => {
  it('never loads the X-Ray instrumentation while no request is sampled', async () => {
    const xray = fakeXRay();
    traceClient(client());
    const handler = tracedHandler([false, false, false], xray.load);
    for (let i = 0; i < 3; i++) await handler({}, lambdaContext());
    expect(xray.loads).toEqual([]);
    expect(xray.events).toEqual([]);
  });

  it('loads it on the first sampled request, instruments every client and opens and closes the handler subsegment', async () => {
    const xray = fakeXRay();
    const early = traceClient(client());
    const handler = tracedHandler([true, false], xray.load);
    await handler({}, lambdaContext());
    const late = traceClient(client());
    await handler({}, lambdaContext());
    expect(xray.loads).toEqual([true]);
    expect(xray.instrumented).toEqual([early, late]);
    // Once loaded, the X-Ray SDK itself skips what the trace header does not sample.
    expect(xray.events).toEqual(['open', 'close', 'open', 'close']);
  });

  it('tells the instrumentation that a request after the first is no cold start', async () => {
    const xray = fakeXRay();
    const handler = tracedHandler([false, false, true], xray.load);
    for (let i = 0; i < 3; i++) await handler({}, lambdaContext());
    expect(xray.loads).toEqual([false]);
  });

  it('records a failing handler as an error', async () => {
    const xray = fakeXRay();
    const handler = tracedHandler([true], xray.load, async () => {
      throw new Error('boom');
    });
    await expect(handler({}, lambdaContext())).rejects.toThrow('boom');
    expect(xray.events).toEqual(['open', 'error']);
  });

  it('loads once for concurrent first sampled requests', async () => {
    const xray = fakeXRay();
    const handler = tracedHandler([true, true, true], xray.load);
    await Promise.all([1, 2, 3].map(() => handler({}, lambdaContext())));
    expect(xray.loads).toHaveLength(1);
  });

  it('stays off when POWERTOOLS_TRACE_ENABLED is false', async () => {
    process.env.POWERTOOLS_TRACE_ENABLED = 'false';
    const xray = fakeXRay();
    await tracedHandler([true], xray.load)({}, lambdaContext());
    expect(xray.loads).toEqual([]);
  });
});
