/*
 * One Lambda execution environment, inside a worker thread (started by runner.ts with only the function's
 * own environment). Init: load the bundle and find `handler` (errors are reported as init errors, like
 * Runtime.ImportModuleError). Then, one invocation at a time: parse the event from JSON, call the handler
 * with a Lambda-like context, and send back the JSON-serialised result or a Lambda-style error object.
 *
 * Plain ESM JavaScript so it loads without any TypeScript tooling (Jest, tsx or bare node).
 *
 * workerData: { bundle, handler, functionName, functionVersion, memoryMb, region, logGroupName, logStreamName }
 * parent -> worker: { type: 'invoke', id, requestId, deadline, event }      (event is a JSON string)
 * worker -> parent: { type: 'ready', initMs } | { type: 'initError', error }
 *                   { type: 'result', id, payload } | { type: 'error', id, error }
 */
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

// No source-map flag, as in Lambda: each bundle maps its own stacks when printed
// (functions/shared/stack-traces.ts).

/** Lambda's response limit for synchronous invocations. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

const data = workerData;
const port = parentPort;

function lambdaError(err, fallbackType = 'Error') {
  if (err instanceof Error) {
    return {
      errorType: err.name || fallbackType,
      errorMessage: err.message,
      trace: String(err.stack ?? '').split('\n'),
    };
  }
  return {
    errorType: fallbackType,
    errorMessage: typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err)),
  };
}

function contextFor(requestId, deadline) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: data.functionName,
    functionVersion: data.functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${data.region}:000000000000:function:${data.functionName}`,
    memoryLimitInMB: String(data.memoryMb),
    awsRequestId: requestId,
    logGroupName: data.logGroupName,
    logStreamName: data.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {
      throw new Error('context.done is not supported; return a value from an async handler');
    },
    fail: () => {
      throw new Error('context.fail is not supported; throw from an async handler');
    },
    succeed: () => {
      throw new Error('context.succeed is not supported; return a value from an async handler');
    },
  };
}

/** Calls an async handler, or a callback-style one (three parameters), and resolves with its result. */
function call(handler, event, context) {
  if (handler.length < 3) return Promise.resolve().then(() => handler(event, context));
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    } catch (err) {
      reject(err);
    }
  });
}

async function init() {
  const started = performance.now();
  try {
    const mod = await import(pathToFileURL(data.bundle).href);
    const handler = mod[data.handler] ?? mod.default?.[data.handler];
    if (typeof handler !== 'function') {
      const err = new Error(`${data.bundle} does not export a function named ${data.handler}`);
      err.name = 'Runtime.HandlerNotFound';
      throw err;
    }
    port.postMessage({ type: 'ready', initMs: performance.now() - started });
    return handler;
  } catch (err) {
    const error = lambdaError(err, 'Runtime.ImportModuleError');
    console.error(JSON.stringify({ level: 'ERROR', message: 'Init error', ...error }));
    port.postMessage({ type: 'initError', error });
    return undefined;
  }
}

const ready = init();

port.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  const handler = await ready;
  if (!handler) return;
  const { id, requestId, deadline } = message;
  try {
    const event = JSON.parse(message.event);
    const result = await call(handler, event, contextFor(requestId, deadline));
    const payload = JSON.stringify(result === undefined ? null : result);
    if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
      const error = {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
      };
      port.postMessage({ type: 'error', id, error });
      return;
    }
    port.postMessage({ type: 'result', id, payload });
  } catch (err) {
    const error = lambdaError(err);
    // What the Node.js runtime logs for a failed invocation.
    console.error(JSON.stringify({ level: 'ERROR', requestId, message: 'Invoke Error', ...error }));
    port.postMessage({ type: 'error', id, error });
  }
});
