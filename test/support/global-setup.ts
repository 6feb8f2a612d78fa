/**
 * Jest global setup of the `integration` project: starts throw-away engines on free ports (no data dir),
 * provisions the app definition into them and exports the result through process.env, which the test
 * workers inherit. The engines handle stays on globalThis for global-teardown.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from '../../lib/app/app';
import { startEngines } from '../../local/engines';
import type { RunningEngines } from '../../local/engines/types';
import { eventFunctions, startEventTriggers } from '../../local/event-triggers';
import { provision } from '../../local/provision';
import { bundle } from '../../local/runtime/bundle';
import { lambdaEnvironment } from '../../local/runtime/environment';
import { LambdaRunner } from '../../local/runtime/runner';
import { startStepFunctions } from '../../local/stepfunctions/server';
import { integrationEnvironment } from './engines';

declare global {
  var __ZEPTO_ENGINES__: RunningEngines | undefined;
  /** Stops the Step Functions endpoint and the event plumbing (global-teardown.ts). */
  var __ZEPTO_EVENTS_STOP__: (() => Promise<void>) | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const [engines, stepFunctions] = await Promise.all([startEngines({}), startStepFunctions()]);
  globalThis.__ZEPTO_ENGINES__ = engines;
  const stops: (() => Promise<void>)[] = [() => stepFunctions.close()];
  globalThis.__ZEPTO_EVENTS_STOP__ = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const ready = Date.now();
    const resources = await provision(
      app,
      { ...engines.endpoints, sfn: stepFunctions.endpoint },
      { stage: 'local', logLevel: process.env.LOG_LEVEL ?? 'WARN' },
    );
    Object.assign(process.env, integrationEnvironment(app, resources));
    // S3 notifications and state machine Tasks run the real bundles here, in the Jest parent process, so
    // an object a test puts reaches its S3-triggered function and executions run end to end.
    const functions = eventFunctions(app);
    if (functions.length > 0) {
      const buildDir = await mkdtemp(join(tmpdir(), 'zepto-test-events-'));
      stops.push(() => rm(buildDir, { recursive: true, force: true }));
      const { files } = await bundle(functions, { outDir: buildDir });
      const runner = new LambdaRunner(
        functions.map((fn) => ({
          name: fn.name,
          bundle: files.get(fn.name)!,
          env: lambdaEnvironment(fn, resources),
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
        })),
        { logs: process.env.ZEPTO_TEST_LOG_LEVEL ? 'pretty' : 'silent' },
      );
      stops.push(() => runner.stop());
      const events = startEventTriggers(app, {
        stepFunctions,
        subscribe: (listener) => engines.onS3Event(listener),
        bucketNames: resources.bucketNames,
        invoke: (name, event) => runner.invoke(name, event),
        retryDelaysMs: [100, 200],
      });
      stops.push(async () => events.stop());
    }
    // The cache tests point handlers at this Redis themselves; other tests run without a cache.
    if (engines.endpoints.redis) process.env.ZEPTO_TEST_REDIS_URL = engines.endpoints.redis;
    const notes = engines.endpoints.redis ? '' : ' (redis-server not installed: cache off)';
    process.stderr.write(
      `\nLocal engines ready in ${ready - started} ms, provisioned in ${Date.now() - ready} ms${notes}\n`,
    );
  } catch (err) {
    await globalThis.__ZEPTO_EVENTS_STOP__?.();
    await engines.stop();
    globalThis.__ZEPTO_ENGINES__ = undefined;
    throw err;
  }
}
