/**
 * X-Ray tracing that costs nothing until a request is traced (docs/decisions/0010-lean-functions.md).
 *
 * Lambda's active tracing already records every sampled invocation's function segment (init, invocation,
 * overhead) without any code in the function. What needs code is the `## handler` subsegment with its
 * ColdStart and Service annotations and one subsegment per AWS SDK call: the Powertools Tracer and the X-Ray
 * SDK under it, about 120 KiB and 45 ms of module load. They are loaded here on the first *sampled*
 * invocation of an execution environment, never at init: unsampled requests (by default all but 1 per
 * second and 5 % of the rest) never load them, and an environment that never serves a sampled request
 * never pays for them. Once loaded they trace exactly like `captureLambdaHandler` and
 * `captureAWSv3Client` did when they were loaded at cold start.
 */
import { isRequestXRaySampled } from '@aws-lambda-powertools/commons/utils/env';
import type { MiddlewareObj } from '@middy/core';

/** An AWS SDK v3 client (anything with a middleware stack), as `captureAWSv3Client` takes it. */
interface SdkClient {
  readonly middlewareStack: { add: (...args: never[]) => unknown };
}

interface LoadedTracing {
  readonly instrument: (client: SdkClient) => void;
  readonly handlerMiddleware: MiddlewareObj;
}

const clients: SdkClient[] = [];
let loaded: LoadedTracing | undefined;
let loading: Promise<LoadedTracing> | undefined;
let invocations = 0;

/** Registers an SDK client for tracing; it is instrumented when (and if) tracing is first needed. */
export function traceClient<C extends SdkClient>(client: C): C {
  clients.push(client);
  loaded?.instrument(client);
  return client;
}

/** Decides per invocation whether tracing is needed; the default asks the Lambda trace header. */
export type SampledCheck = () => boolean;
/** Loads the X-Ray instrumentation; replaceable in tests. */
export type TracingLoader = (coldStart: boolean) => Promise<LoadedTracing>;

const loadXRay: TracingLoader = async (coldStart) => (await import('./tracing-xray')).loadTracing(coldStart);

/**
 * The handler middleware: opens the `## handler` subsegment of sampled invocations (loading the X-Ray
 * instrumentation first if this environment has not yet needed it) and closes it after the handler.
 * Responses are never recorded: they carry tokens and personal data.
 */
export function lazyTracing(opts: { sampled?: SampledCheck; load?: TracingLoader } = {}): MiddlewareObj {
  const sampled = opts.sampled ?? isRequestXRaySampled;
  const load = opts.load ?? loadXRay;
  return {
    before: async (request) => {
      const coldStart = invocations++ === 0;
      if (!loaded) {
        if (process.env.POWERTOOLS_TRACE_ENABLED === 'false' || !sampled()) return;
        loading ??= load(coldStart);
        const tracing = await loading;
        for (const client of clients) tracing.instrument(client);
        loaded = tracing;
      }
      return loaded.handlerMiddleware.before?.(request);
    },
    after: async (request) => loaded?.handlerMiddleware.after?.(request),
    onError: async (request) => loaded?.handlerMiddleware.onError?.(request),
  };
}

/** Forgets the loaded instrumentation and the invocation count (tests only). */
export function resetTracingForTests(): void {
  loaded = undefined;
  loading = undefined;
  invocations = 0;
  clients.length = 0;
}
