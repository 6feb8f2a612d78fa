// One cold start, in a fresh process like a new Lambda execution environment: load the bundle, then the
// first invocation. Prints {loadMs, loadCpuMs, firstInvokeMs, status} as JSON; the CPU time of the load
// (this process's user + system time, all threads) is steadier than wall time on a busy machine.
// argv: <bundle.mjs> <event.json>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const context = lambdaContext();
// The Lambda runtime has its output streams open before it loads a handler; opening them here keeps their
// one-off cost (a few ms) out of the first module that happens to log.
void process.stdout;
void process.stderr;
const cpu = process.cpuUsage();
const t0 = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const t1 = performance.now();
const loadCpu = process.cpuUsage(cpu);
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
