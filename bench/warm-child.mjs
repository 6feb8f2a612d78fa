// Warm invocations in a fresh process, one at a time: load the bundle, warm it up, then time `count`
// invocations and the CPU they use. CPU time leaves out the wait for DynamoDB, so it is the cost of
// everything else. Prints {count, cpuUsPerInvoke, p50Ms, p99Ms, status} as JSON.
// argv: <bundle.mjs> <event.json> <count>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { lambdaContext } from './lambda-context.mjs';

const [bundle, eventFile, countArg] = process.argv.slice(2);
const count = Number(countArg);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
let n = 0;
const context = () => lambdaContext(`bench-${n++}`);
const { handler } = await import(pathToFileURL(bundle).href);
let status;
for (let i = 0; i < Math.max(50, count / 10); i++) status = (await handler(event, context()))?.statusCode;

const samples = [];
const cpu = process.cpuUsage();
for (let i = 0; i < count; i++) {
  const t = performance.now();
  await handler(event, context());
  samples.push(performance.now() - t);
}
const used = process.cpuUsage(cpu);
samples.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    count,
    cpuUsPerInvoke: (used.user + used.system) / count,
    p50Ms: samples[Math.floor(count * 0.5)],
    p99Ms: samples[Math.floor(count * 0.99)],
    status,
  }),
);
process.exit(0);
