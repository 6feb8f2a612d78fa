// The inventory import validator in a fresh process, like a Lambda execution environment: load its bundle,
// validate one uploaded file, print {ms, maxRssMb, rssAfterLoadMb, outcome} as JSON. maxRssMb is this
// process's peak resident set: Linux's VmHWM of its own address space. Not getrusage's maxRSS
// (process.resourceUsage), which Linux carries over from the forking parent across exec, so it reported
// the bench process's size, not the validator's.
// argv: <bundle.mjs> <event.json>
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const mod = await import(pathToFileURL(bundle).href);
const rssAfterLoadMb = process.memoryUsage().rss / 1048576;
const t0 = performance.now();
// The validator's timeout (its FunctionDef), as Lambda counts it down.
const deadline = Date.now() + Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);
const result = await mod.handler(event, {
  ...lambdaContext(),
  getRemainingTimeInMillis: () => deadline - Date.now(),
});
const ms = performance.now() - t0;
const hwmKb = existsSync('/proc/self/status')
  ? Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1])
  : NaN;
process.stdout.write(
  JSON.stringify({
    ms,
    maxRssMb: (Number.isFinite(hwmKb) ? hwmKb : process.resourceUsage().maxRSS) / 1024,
    rssAfterLoadMb,
    outcome: result,
  }),
);
process.exit(0);
