import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
const files = process.argv.slice(2);
const maps = new Map();
const mapOf = (url) => { if (!url.startsWith('file:')) return null; if (!maps.has(url)) { try { maps.set(url, new SourceMap(JSON.parse(readFileSync(fileURLToPath(url) + '.map', 'utf8')))); } catch { maps.set(url, null); } } return maps.get(url); };
const agg = new Map(); let total = 0;
for (const f of files) {
  const p = JSON.parse(readFileSync(f, 'utf8'));
  const nodes = new Map(p.nodes.map((n) => [n.id, n])); const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const loc = (n) => { const m = mapOf(n.callFrame.url); if (!m) return null; const e = m.findEntry(n.callFrame.lineNumber, n.callFrame.columnNumber); return e?.originalSource ? `${e.originalSource.replace(/.*\/work\/main\//,'')}:${e.originalLine + 1}` : null; };
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] / 1000; total += dt;
    let n = nodes.get(id); const self = loc(n) ?? n.callFrame.functionName ?? '?';
    if (!/zod/.test(self)) return;
    let owner = null;
    for (let cur = n; cur; cur = nodes.get(parent.get(cur.id))) { const l = loc(cur); if (l && l.startsWith('functions/') ) { owner = l; break; } }
    agg.set(owner ?? '(none)', (agg.get(owner ?? '(none)') ?? 0) + dt);
  });
}
const rows = [...agg].sort((a, b) => b[1] - a[1]);
let z = 0; for (const [, v] of rows) z += v;
console.log('total', (total / files.length).toFixed(1), 'zod', (z / files.length).toFixed(1));
for (const [k, v] of rows.slice(0, 40)) console.log((v / files.length).toFixed(2).padStart(6), k);
