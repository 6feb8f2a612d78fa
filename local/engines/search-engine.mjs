/*
 * The local search engine: Orama (@orama/orama) indexes behind a small HTTP API, in its own Node process
 * like the other engines, so the indexer's and the search functions' workers (each with only its own
 * environment) share one index. Hand-written because no maintained package serves Orama over HTTP; it
 * holds no search logic of its own: the local adapter (functions/search/adapters/local-engine.ts) builds the
 * Orama schema and search parameters, as the OpenSearch adapter builds mappings and query DSL.
 *
 * What it adds to Orama is what OpenSearch has and the port needs: named indexes, aliases changed
 * atomically, writes through an alias to every index it names, and external versions (a write older than
 * the version an index has seen for that id, including deletions, is ignored and reported `stale`).
 * Everything is in memory: the platform rebuilds the index from DynamoDB at every start.
 *
 * API (JSON): GET /health; PUT /indexes/<name> {schema, stemming?} (409 if it exists); DELETE /indexes/<name>;
 * GET /aliases → {<alias>: [index...]}; POST /aliases {actions: [{add|remove: {index, alias}} | {removeIndex:
 * {index}}]} (all or nothing); POST /targets/<alias or index>/bulk {operations: [{op: 'index', doc, version}
 * | {op: 'delete', id, version}]} → {results: [{id, status: 'ok'|'stale'|'error', error?}]};
 * POST /targets/<alias or index>/search <Orama search params> → Orama's result.
 *
 * Env: SEARCH_PORT; sends {ready: url} over IPC once listening; exits when the parent goes.
 */
import { create, insertMultiple, removeMultiple, search, count, getByID } from '@orama/orama';
import { createServer } from 'node:http';

const MAX_BODY = 32 * 1024 * 1024;
/** name → {db, versions: Map<id, version>, live: Set<id>} */
const indexes = new Map();
/** alias → Set<index name> */
const aliases = new Map();

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function resolve(target) {
  if (aliases.has(target)) return [...aliases.get(target)].map((name) => indexes.get(name));
  const index = indexes.get(target);
  if (!index) throw new HttpError(404, `no such index or alias: ${target}`);
  return [index];
}

function createIndex(name, body) {
  if (indexes.has(name) || aliases.has(name)) throw new HttpError(409, `${name} exists`);
  if (!body || typeof body.schema !== 'object') throw new HttpError(400, 'schema required');
  const db = create({
    schema: body.schema,
    components: { tokenizer: { language: 'english', stemming: body.stemming !== false } },
  });
  indexes.set(name, { name, db, versions: new Map(), live: new Set() });
}

function changeAliases(actions) {
  if (!Array.isArray(actions)) throw new HttpError(400, 'actions required');
  const next = new Map([...aliases].map(([alias, names]) => [alias, new Set(names)]));
  const drop = [];
  for (const action of actions) {
    if (action.add) {
      if (!indexes.has(action.add.index)) throw new HttpError(404, `no such index: ${action.add.index}`);
      if (indexes.has(action.add.alias)) throw new HttpError(400, `${action.add.alias} is an index`);
      next.set(action.add.alias, new Set([...(next.get(action.add.alias) ?? []), action.add.index]));
    } else if (action.remove) {
      next.get(action.remove.alias)?.delete(action.remove.index);
      if (next.get(action.remove.alias)?.size === 0) next.delete(action.remove.alias);
    } else if (action.removeIndex) {
      drop.push(action.removeIndex.index);
      for (const names of next.values()) names.delete(action.removeIndex.index);
      for (const [alias, names] of next) if (names.size === 0) next.delete(alias);
    } else throw new HttpError(400, 'unknown alias action');
  }
  aliases.clear();
  for (const [alias, names] of next) aliases.set(alias, names);
  for (const name of drop) indexes.delete(name);
}

async function bulk(target, body) {
  const targets = resolve(target);
  const results = new Map();
  for (const index of targets) {
    const removals = [];
    const inserts = [];
    for (const operation of body.operations ?? []) {
      const id = operation.op === 'index' ? operation.doc?.id : operation.id;
      if (typeof id !== 'string' || typeof operation.version !== 'number') {
        results.set(String(id), { id: String(id), status: 'error', error: 'id and version required' });
        continue;
      }
      const seen = index.versions.get(id);
      if (seen !== undefined && seen > operation.version) {
        if (!results.has(id)) results.set(id, { id, status: 'stale' });
        continue;
      }
      index.versions.set(id, operation.version);
      if (index.live.has(id)) removals.push(id);
      if (operation.op === 'index') inserts.push(operation.doc);
      else index.live.delete(id);
      results.set(id, { id, status: 'ok' });
    }
    if (removals.length > 0) await removeMultiple(index.db, removals);
    if (inserts.length > 0) {
      try {
        await insertMultiple(index.db, inserts);
        for (const doc of inserts) index.live.add(doc.id);
      } catch {
        // Orama stops the batch at the first bad document, keeping those before it: insert the rest one
        // by one to find the bad ones.
        for (const doc of inserts) {
          if (getByID(index.db, doc.id)) {
            index.live.add(doc.id);
            continue;
          }
          try {
            await insertMultiple(index.db, [doc]);
            index.live.add(doc.id);
          } catch (e) {
            index.versions.delete(doc.id);
            results.set(doc.id, { id: doc.id, status: 'error', error: String(e?.message ?? e) });
          }
        }
      }
    }
  }
  return { results: [...results.values()] };
}

async function searchTarget(target, params) {
  const targets = resolve(target);
  if (targets.length !== 1) throw new HttpError(400, `${target} names ${targets.length} indexes`);
  return search(targets[0].db, params);
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'malformed JSON');
  }
}

async function route(req) {
  const url = new URL(req.url ?? '/', 'http://engine');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const body = await readJson(req);
  if (req.method === 'GET' && url.pathname === '/health')
    return { status: 'ok', indexes: [...indexes.values()].map((i) => ({ name: i.name, docs: count(i.db) })) };
  if (parts[0] === 'indexes' && parts.length === 2) {
    if (req.method === 'PUT') return (createIndex(parts[1], body), { created: parts[1] });
    if (req.method === 'DELETE')
      return (changeAliases([{ removeIndex: { index: parts[1] } }]), { deleted: parts[1] });
  }
  if (parts[0] === 'aliases' && parts.length === 1) {
    if (req.method === 'GET') return Object.fromEntries([...aliases].map(([a, names]) => [a, [...names]]));
    if (req.method === 'POST') return (changeAliases(body?.actions), { acknowledged: true });
  }
  if (parts[0] === 'targets' && parts.length === 3 && req.method === 'POST') {
    if (parts[2] === 'bulk') return bulk(parts[1], body ?? {});
    if (parts[2] === 'search') return searchTarget(parts[1], body ?? {});
  }
  throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
}

const server = createServer((req, res) => {
  route(req).then(
    (result) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result ?? {}));
    },
    (err) => {
      const status = err instanceof HttpError ? err.status : 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(err?.message ?? err) }));
    },
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.SEARCH_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ ready: `http://127.0.0.1:${address.port}` });
});
const stop = () => server.close(() => process.exit(0));
process.on('disconnect', () => process.exit(0));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop);
