import { pathToFileURL } from 'node:url';
Error.stackTraceLimit = 50;
await import(pathToFileURL(process.argv[2]).href);
const m = globalThis.__zc; let t = 0; const byFile = new Map();
for (const [k, v] of m) { t += v; const f = k.split(':')[0]; byFile.set(f, (byFile.get(f) ?? 0) + v); }
console.log('instances', t);
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(String(v).padStart(5), k);
process.exit(0);
