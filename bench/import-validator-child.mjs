// The inventory import validator in a fresh process, like a Lambda execution environment: load its bundle,
// validate one uploaded file, print {ms, maxRssMb, rssAfterLoadMb, outcome} as JSON. maxRSS is the
// process's peak resident set over its whole life (process.resourceUsage, kilobytes).
// argv: <bundle.mjs> <event.json>
import { readFileSync } from 'node:fs';
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
process.stdout.write(
  JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rssAfterLoadMb, outcome: result }),
);
process.exit(0);
