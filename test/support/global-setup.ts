/**
 * Jest global setup of the `integration` project: starts throw-away engines on free ports (no data dir),
 * provisions the app definition into them and exports the result through process.env, which the test
 * workers inherit. The engines handle stays on globalThis for global-teardown.ts.
 */
import { app } from '../../lib/app/app';
import { startEngines } from '../../local/engines';
import type { RunningEngines } from '../../local/engines/types';
import { provision } from '../../local/provision';
import { integrationEnvironment } from './engines';

declare global {
  var __ZEPTO_ENGINES__: RunningEngines | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const engines = await startEngines({});
  globalThis.__ZEPTO_ENGINES__ = engines;
  try {
    const ready = Date.now();
    const resources = await provision(app, engines.endpoints, {
      stage: 'local',
      logLevel: process.env.LOG_LEVEL ?? 'WARN',
    });
    Object.assign(process.env, integrationEnvironment(app, resources));
    // The cache tests point handlers at this Redis themselves; other tests run without a cache.
    if (engines.endpoints.redis) process.env.ZEPTO_TEST_REDIS_URL = engines.endpoints.redis;
    const notes = engines.endpoints.redis ? '' : ' (redis-server not installed: cache off)';
    process.stderr.write(
      `\nLocal engines ready in ${ready - started} ms, provisioned in ${Date.now() - ready} ms${notes}\n`,
    );
  } catch (err) {
    await engines.stop();
    globalThis.__ZEPTO_ENGINES__ = undefined;
    throw err;
  }
}
