// One cold start, in a fresh process like a new Lambda execution environment: load the bundle, then the
// first invocation. Prints {loadMs, loadCpuMs, firstInvokeMs, status} as JSON; the CPU time of the load
// (this process's user + system time, all threads) is steadier than wall time on a busy machine.
// With a third argument, the module load runs under V8's sampling profiler and its profile is written
// there (bench/init-profile.ts reads it); such a run's times include the profiler's overhead.
// argv: <bundle.mjs> <event.json> [<profile.cpuprofile>]
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const [bundle, eventFile, profileFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = lambdaContext();
// The Lambda runtime has its output streams open before it loads a handler; opening them here keeps their
// one-off cost (a few ms) out of the first module that happens to log.
void process.stdout;
void process.stderr;
const session = profileFile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const loadCpu = process.cpuUsage(cpu);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
}
const result = await mod.handler(event, context);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({
    loadMs: t1 - t0,
    loadCpuMs: (loadCpu.user + loadCpu.system) / 1000,
    firstInvokeMs: t2 - t1,
    status: result?.statusCode,
  }),
);
process.exit(0);
