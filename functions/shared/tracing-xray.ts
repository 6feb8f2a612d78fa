/**
 * The X-Ray instrumentation itself, imported only by `lazyTracing` (tracing.ts) on the first sampled
 * invocation; the bundler makes it a chunk of its own. Nothing else may import this module, or its weight
 * comes back into every cold start.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/** A Tracer created after the cold start knows that the invocation it first annotates is not one. */
class LateTracer extends Tracer {
  constructor(coldStart: boolean) {
    super();
    if (!coldStart) this.getColdStart();
  }
}

export function loadTracing(coldStart: boolean) {
  const tracer = new LateTracer(coldStart);
  return {
    instrument: (client: Parameters<Tracer['captureAWSv3Client']>[0]) => {
      tracer.captureAWSv3Client(client);
    },
    handlerMiddleware: captureLambdaHandler(tracer, { captureResponse: false }),
  };
}
