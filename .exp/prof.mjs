// profile a bundle's load; attribute zod samples to the nearest functions/ frame (file:line)
import { Session } from 'node:inspector/promises';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { readFileSync, writeFileSync } from 'node:fs';
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 25 }); await s.post('Profiler.start');
await import(pathToFileURL(process.argv[2]).href);
const { profile } = await s.post('Profiler.stop');
writeFileSync(process.argv[3], JSON.stringify(profile));
process.exit(0);
