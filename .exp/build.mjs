import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { register } = require('tsx/cjs/api'); register();
const { functionBuildOptions } = require('../lib/app/bundling.ts');
const [entry, out] = process.argv.slice(2);
const opts = functionBuildOptions({ entry, outDir: out, root: process.cwd() });
await esbuild.build(opts);
