/**
 * OpenSearch's answers to the requests the OpenSearch adapter sends, programmed into @short.io/opensearch-mock
 * for the search contract suite (contract.ts): index creation, aliases (GET /_alias, atomic POST /_aliases),
 * _bulk with external_gte versions and strict-mapping refusals per item, _refresh, and _search evaluating the
 * query DSL subset the adapter emits (bool/must/filter/should, term, range, match_all, multi_match with
 * operator and fuzziness, match on the edge n-gram field, match_phrase, sort, from/size, collapse, terms and
 * range aggregations). Status codes, error types and body shapes are OpenSearch's.
 *
 * Text analysis is the standard tokenizer with lower case and ASCII folding only (no stemming, stop words or
 * synonyms): the contract holds both adapters to what they both honour, and relevance on real analysis is
 * the relevance suite's (local engine) and a deployed stage's business.
 */
import { errors } from '@opensearch-project/opensearch';
import type Mock from '@short.io/opensearch-mock';

type Source = Record<string, unknown>;
type Query = Record<string, unknown>;
type Params = { method: string | string[]; path: string | string[]; body?: unknown };

interface Index {
  readonly properties: Record<string, { type?: string }>;
  readonly docs: Map<string, Source>;
  /** Highest version seen per id, deletions included (OpenSearch keeps external versions of deletes). */
  readonly versions: Map<string, number>;
}

const responseError = (statusCode: number, type: string, reason: string) =>
  new errors.ResponseError({
    body: { error: { root_cause: [{ type, reason }], type, reason }, status: statusCode },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  } as never);

/** The standard tokenizer, lower case and ASCII folding. */
export const tokens = (text: unknown): string[] =>
  String(text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** `AUTO:low,high`: no edits below `low` letters, one below `high`, two from there. */
function allowedEdits(fuzziness: unknown, word: string): number {
  if (fuzziness === undefined) return 0;
  const match = /^AUTO(?::(\d+),(\d+))?$/.exec(String(fuzziness));
  if (!match) return Number(fuzziness);
  const [low, high] = [Number(match[1] ?? 3), Number(match[2] ?? 6)];
  return word.length < low ? 0 : word.length < high ? 1 : 2;
}

/** The values of a field of a document, sub-fields (`brand.key`, `name.raw`) as their keyword forms. */
function values(doc: Source, field: string): unknown[] {
  const [base, sub] = field.split('.') as [string, string | undefined];
  const raw = doc[base];
  const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  if (sub === 'key') return list.map((v) => String(v).toLowerCase());
  return list;
}

function fieldAndBoost(spec: string): [string, number] {
  const [field, boost] = spec.split('^') as [string, string | undefined];
  return [field, boost ? Number(boost) : 1];
}

/** How well a word matches a field's text: 1 exact, 0.5 within its edits, 0 not at all. */
function wordScore(
  word: string,
  fieldTokens: readonly string[],
  edits: number,
  prefixLength: number,
): number {
  if (fieldTokens.includes(word)) return 1;
  if (edits === 0) return 0;
  return fieldTokens.some(
    (t) => t.slice(0, prefixLength) === word.slice(0, prefixLength) && levenshtein(t, word) <= edits,
  )
    ? 0.5
    : 0;
}

/** A query's score for a document, or undefined when it does not match. */
function evaluate(query: Query, doc: Source): number | undefined {
  const [kind, spec] = Object.entries(query)[0] as [string, Record<string, unknown>];
  switch (kind) {
    case 'match_all':
      return 1;
    case 'bool': {
      let score = 0;
      for (const q of (spec.must as Query[] | undefined) ?? []) {
        const s = evaluate(q, doc);
        if (s === undefined) return undefined;
        score += s;
      }
      for (const q of (spec.filter as Query[] | undefined) ?? [])
        if (evaluate(q, doc) === undefined) return undefined;
      const should = (spec.should as Query[] | undefined) ?? [];
      const matched = should.map((q) => evaluate(q, doc)).filter((s): s is number => s !== undefined);
      const minimum = (spec.minimum_should_match as number | undefined) ?? (spec.must || spec.filter ? 0 : 1);
      if (should.length > 0 && matched.length < minimum) return undefined;
      return score + matched.reduce((a, b) => a + b, 0);
    }
    case 'term': {
      const [field, value] = Object.entries(spec)[0]!;
      return values(doc, field).some((v) => v === value) ? 1 : undefined;
    }
    case 'range': {
      const [field, bounds] = Object.entries(spec)[0] as [string, Record<string, number>];
      const ok = values(doc, field).some(
        (v) =>
          typeof v === 'number' &&
          (bounds.gte === undefined || v >= bounds.gte) &&
          (bounds.gt === undefined || v > bounds.gt) &&
          (bounds.lte === undefined || v <= bounds.lte) &&
          (bounds.lt === undefined || v < bounds.lt),
      );
      return ok ? 1 : undefined;
    }
    case 'multi_match': {
      const words = tokens(spec.query);
      const fields = (spec.fields as string[]).map(fieldAndBoost);
      const and = spec.operator === 'and';
      const prefixLength = (spec.prefix_length as number | undefined) ?? 0;
      let score = 0;
      let matchedWords = 0;
      for (const word of words) {
        const edits = allowedEdits(spec.fuzziness, word);
        const best = Math.max(
          ...fields.map(
            ([f, boost]) => wordScore(word, tokens(values(doc, f).join(' ')), edits, prefixLength) * boost,
          ),
        );
        if (best > 0) matchedWords++;
        score += best;
      }
      const ok = and ? matchedWords === words.length : matchedWords > 0;
      return ok && words.length > 0 ? score * ((spec.boost as number | undefined) ?? 1) : undefined;
    }
    case 'match': {
      const [field, options] = Object.entries(spec)[0] as [string, Record<string, unknown>];
      const words = tokens(options.query);
      const [base, sub] = field.split('.');
      const fieldTokens = tokens(values(doc, base!).join(' '));
      // `name.prefix` is indexed as edge n-grams: a word matches a token it starts.
      const hit = (w: string) =>
        sub === 'prefix' ? fieldTokens.some((t) => t.slice(0, 20).startsWith(w)) : fieldTokens.includes(w);
      const matched = words.filter(hit).length;
      const ok = options.operator === 'and' ? matched === words.length : matched > 0;
      return ok && words.length > 0 ? matched : undefined;
    }
    case 'match_phrase': {
      const [field, options] = Object.entries(spec)[0] as [string, Record<string, unknown>];
      const phrase = tokens(options.query).join(' ');
      const text = ` ${tokens(values(doc, field).join(' ')).join(' ')} `;
      return phrase && text.includes(` ${phrase} `)
        ? ((options.boost as number | undefined) ?? 1)
        : undefined;
    }
    default:
      throw responseError(400, 'parsing_exception', `unknown query [${kind}]`);
  }
}

type Hit = { doc: Source; score: number };

function compare(sort: readonly unknown[]): (a: Hit, b: Hit) => number {
  return (a, b) => {
    for (const key of sort) {
      const [field, order] =
        typeof key === 'string'
          ? [key, key === '_score' ? 'desc' : 'asc']
          : (Object.entries(key as object)[0] as [string, string]);
      const av = field === '_score' ? a.score : (values(a.doc, field)[0] as number | string);
      const bv = field === '_score' ? b.score : (values(b.doc, field)[0] as number | string);
      if (av === bv) continue;
      const less = av < bv ? -1 : 1;
      return order === 'desc' ? -less : less;
    }
    return 0;
  };
}

function aggregate(spec: Record<string, Record<string, unknown>>, hits: readonly Hit[]) {
  const out: Record<string, { buckets: unknown[] }> = {};
  for (const [name, agg] of Object.entries(spec)) {
    if (agg.terms) {
      const { field, size } = agg.terms as { field: string; size: number };
      const counts = new Map<string, number>();
      for (const { doc } of hits)
        for (const v of new Set(values(doc, field).map(String))) counts.set(v, (counts.get(v) ?? 0) + 1);
      out[name] = {
        buckets: [...counts]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, size)
          .map(([key, doc_count]) => ({ key, doc_count })),
      };
    } else if (agg.range) {
      const { field, ranges } = agg.range as { field: string; ranges: { from?: number; to?: number }[] };
      out[name] = {
        buckets: ranges.map((r) => ({
          key: `${r.from ?? '*'}-${r.to ?? '*'}`,
          ...r,
          doc_count: hits.filter(({ doc }) =>
            values(doc, field).some(
              (v) =>
                typeof v === 'number' &&
                (r.from === undefined || v >= r.from) &&
                (r.to === undefined || v < r.to),
            ),
          ).length,
        })),
      };
    } else throw responseError(400, 'parsing_exception', `unknown aggregation in [${name}]`);
  }
  return out;
}

/** A strict mapping's refusal of a document, or undefined when it fits. */
function refusal(index: Index, doc: Source): { type: string; reason: string } | undefined {
  for (const [field, value] of Object.entries(doc)) {
    const mapping = index.properties[field];
    if (!mapping)
      return {
        type: 'strict_dynamic_mapping_exception',
        reason: `mapping set to strict, dynamic introduction of [${field}] within [_doc] is not allowed`,
      };
    const list = Array.isArray(value) ? value : [value];
    const fits = list.every((v) =>
      mapping.type === 'long'
        ? typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v))
        : mapping.type === 'boolean'
          ? typeof v === 'boolean'
          : typeof v !== 'object' || v === null,
    );
    if (!fits) return { type: 'mapper_parsing_exception', reason: `failed to parse field [${field}]` };
  }
  return undefined;
}

/** An in-memory cluster answering through `mock` (one per test: state starts empty). */
export function programOpenSearch(mock: Mock): void {
  const indexes = new Map<string, Index>();
  const aliases = new Map<string, Set<string>>();
  const resolve = (target: string): string[] =>
    aliases.has(target) ? [...aliases.get(target)!] : indexes.has(target) ? [target] : [];
  const notFound = (target: string) =>
    responseError(404, 'index_not_found_exception', `no such index [${target}]`);
  const param = (path: string | string[], at: number) => decodeURIComponent(String(path).split('/')[at]!);

  mock.add({ method: 'PUT', path: '/:index' }, (params: Params) => {
    const name = param(params.path, 1);
    if (indexes.has(name) || aliases.has(name))
      return responseError(400, 'resource_already_exists_exception', `index [${name}] already exists`);
    const body = params.body as { mappings?: { properties?: Index['properties'] } };
    indexes.set(name, { properties: body.mappings?.properties ?? {}, docs: new Map(), versions: new Map() });
    return { acknowledged: true, shards_acknowledged: true, index: name };
  });

  mock.add({ method: 'GET', path: '/_alias/:name' }, (params: Params) => {
    const alias = param(params.path, 2);
    const names = aliases.get(alias);
    if (!names?.size) return responseError(404, 'aliases_not_found_exception', `alias [${alias}] missing`);
    return Object.fromEntries([...names].map((index) => [index, { aliases: { [alias]: {} } }]));
  });

  mock.add({ method: 'POST', path: '/_aliases' }, (params: Params) => {
    const { actions } = params.body as { actions: Record<string, { index: string; alias?: string }>[] };
    const next = new Map([...aliases].map(([a, names]) => [a, new Set(names)]));
    const drop: string[] = [];
    for (const action of actions) {
      const [kind, { index, alias }] = Object.entries(action)[0]!;
      if (!indexes.has(index)) return notFound(index);
      if (kind === 'add') next.set(alias!, new Set([...(next.get(alias!) ?? []), index]));
      else if (kind === 'remove') {
        if (!next.get(alias!)?.has(index))
          return responseError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`);
        next.get(alias!)!.delete(index);
      } else if (kind === 'remove_index') {
        drop.push(index);
        for (const names of next.values()) names.delete(index);
      } else return responseError(400, 'illegal_argument_exception', `unknown action [${kind}]`);
    }
    aliases.clear();
    for (const [alias, names] of next) if (names.size > 0) aliases.set(alias, names);
    for (const index of drop) indexes.delete(index);
    return { acknowledged: true };
  });

  mock.add({ method: 'POST', path: '/_bulk' }, (params: Params) => {
    const lines = params.body as Record<string, Record<string, unknown>>[];
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < lines.length; i++) {
      const [action, meta] = Object.entries(lines[i]!)[0] as [
        string,
        { _index: string; _id: string; version: number },
      ];
      const source = action === 'index' ? (lines[++i] as Source) : undefined;
      const item = (status: number, extra: Record<string, unknown>) =>
        items.push({ [action]: { _index: meta._index, _id: meta._id, status, ...extra } });
      const [name] = resolve(meta._index);
      const index = name ? indexes.get(name) : undefined;
      if (!index) {
        item(404, { error: { type: 'index_not_found_exception', reason: `no such index [${meta._index}]` } });
        continue;
      }
      const seen = index.versions.get(meta._id);
      if (seen !== undefined && seen > meta.version) {
        item(409, {
          error: { type: 'version_conflict_engine_exception', reason: `current version [${seen}]` },
        });
        continue;
      }
      if (source) {
        const refused = refusal(index, source);
        if (refused) {
          item(400, { error: refused });
          continue;
        }
        const existed = index.docs.has(meta._id);
        index.docs.set(meta._id, source);
        index.versions.set(meta._id, meta.version);
        item(existed ? 200 : 201, { _version: meta.version, result: existed ? 'updated' : 'created' });
      } else {
        const existed = index.docs.delete(meta._id);
        index.versions.set(meta._id, meta.version);
        item(existed ? 200 : 404, { _version: meta.version, result: existed ? 'deleted' : 'not_found' });
      }
    }
    const failed = items.some((it) => (Object.values(it)[0] as { status: number }).status >= 300);
    return { took: 1, errors: failed, items };
  });

  mock.add({ method: ['POST', 'GET'], path: '/:index/_refresh' }, (params: Params) => {
    const target = param(params.path, 1);
    return resolve(target).length > 0
      ? { _shards: { total: 1, successful: 1, failed: 0 } }
      : notFound(target);
  });

  mock.add({ method: ['POST', 'GET'], path: '/:index/_search' }, (params: Params) => {
    const target = param(params.path, 1);
    const names = resolve(target);
    if (names.length === 0) return notFound(target);
    const body = params.body as {
      from?: number;
      size?: number;
      query?: Query;
      sort?: unknown[];
      aggs?: Record<string, Record<string, unknown>>;
      collapse?: { field: string };
      _source?: string[];
    };
    let hits: Hit[] = [];
    for (const name of names)
      for (const doc of indexes.get(name)!.docs.values()) {
        const score = evaluate(body.query ?? { match_all: {} }, doc);
        if (score !== undefined) hits.push({ doc, score });
      }
    hits.sort(compare(body.sort ?? ['_score']));
    const total = hits.length;
    const aggregations = body.aggs ? aggregate(body.aggs, hits) : undefined;
    if (body.collapse) {
      const seen = new Set<string>();
      hits = hits.filter(({ doc }) => {
        const key = String(values(doc, body.collapse!.field)[0]);
        return seen.has(key) ? false : (seen.add(key), true);
      });
    }
    const from = body.from ?? 0;
    const page = hits.slice(from, from + (body.size ?? 10));
    return {
      took: 1,
      timed_out: false,
      hits: {
        total: { value: total, relation: 'eq' },
        max_score: page[0]?.score ?? null,
        hits: page.map(({ doc, score }) => ({
          _index: names[0],
          _id: String(doc.id),
          _score: score,
          _source: body._source ? Object.fromEntries(body._source.map((f) => [f, doc[f]])) : doc,
        })),
      },
      ...(aggregations ? { aggregations } : {}),
    };
  });
}
