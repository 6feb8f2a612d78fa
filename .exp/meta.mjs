import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { register } = require('tsx/cjs/api'); register();
const { functionBuildOptions } = require('../lib/app/bundling.ts');
const [entry, out] = process.argv.slice(2);
const r = await esbuild.build(functionBuildOptions({ entry, outDir: out, root: process.cwd() }));
const outs = r.metafile.outputs;
const entryOut = Object.keys(outs).find((k) => k.endsWith('index.mjs'));
const seen = new Set(); const q = [entryOut];
while (q.length) { const o = q.pop(); if (seen.has(o)) continue; seen.add(o); for (const i of outs[o].imports) if (i.kind === 'import-statement' && !i.external) q.push(i.path); }
const by = new Map();
for (const o of seen) for (const [inp, v] of Object.entries(outs[o].inputs)) { const m = inp.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/); const k = m ? m[1] : inp.split('/').slice(0, 2).join('/'); by.set(k, (by.get(k) ?? 0) + v.bytesInOutput); }
let t = 0; for (const v of by.values()) t += v;
console.log('total', (t / 1024).toFixed(1));
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / 1024).toFixed(1).padStart(7), k);
