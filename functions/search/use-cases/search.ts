/**
 * Search and suggest. The engine answers within SEARCH_BUDGET_MS or is treated as down: then the answer
 * comes from the stale copy in the cache (kept an hour) or, failing that, from DynamoDB (name prefix and
 * category on the listing indexes), marked degraded — never a 5xx because the engine is down. Answers are
 * cached (30 s) by their normalised request; availability is read per store after the cache.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { Cache, CacheEntry } from '#shared/cache/port';
import { ValidationError } from '#shared/errors';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import type { CatalogCategory, CatalogProduct } from '#shared/published/catalog-items';
import { availabilityOf, type Availability, type StockLine } from '#shared/published/stock';
import {
  PRICE_BANDS,
  SUGGEST_MAX,
  documentOf,
  normaliseQuery,
  type Facets,
  type SearchDocument,
  type SearchQuery,
  type SearchResult,
  type Sort,
} from '../domain';
import { SearchUnavailableError, type SearchEngine } from '../ports';
import { once } from '#shared/once';

/** How long a search may wait for the engine before it answers degraded. */
export const SEARCH_BUDGET_MS = 800;
/** Deepest position a cursor may reach (engines page by offset). */
export const MAX_OFFSET = 1_000;
/** With `inStock`, candidates read per engine call, and at most this many calls per page. */
const STOCK_WINDOW = 100;
const STOCK_WINDOWS_PER_PAGE = 5;

export interface SearchDeps {
  /** Absent when the stage has no search engine: every answer is degraded. */
  readonly engine?: SearchEngine;
  readonly cache: Cache;
  readonly catalog: {
    categories(): Promise<ReadonlyMap<string, CatalogCategory>>;
    fallback(text: string, categoryId: string | undefined, max: number): Promise<CatalogProduct[]>;
  };
  readonly stock: {
    linesFor(storeId: string, productIds: readonly string[]): Promise<Map<string, StockLine>>;
  };
  readonly savedStores: { storeOf(userId: string): Promise<string | undefined> };
  /** Counts and logs a degraded answer (metric `SearchDegraded`). */
  readonly degraded: (source: 'cache' | 'dynamodb', reason: unknown) => void;
  readonly budgetMs?: number;
}

export interface SearchParams {
  readonly q?: string;
  readonly categoryId?: string;
  readonly brand?: string;
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly inStock?: boolean;
  readonly sort: Sort;
  readonly limit: number;
  readonly cursor?: string;
}

export interface SearchHit {
  readonly doc: SearchDocument;
  readonly availability?: Availability;
}

export interface SearchAnswer {
  readonly items: readonly SearchHit[];
  readonly facets: Facets;
  readonly total: number;
  readonly nextCursor: string | null;
  readonly degraded: boolean;
}

const emptyAnswer = (): SearchAnswer => ({
  items: [],
  facets: {
    categories: [],
    brands: [],
    priceBands: PRICE_BANDS.map((b) => ({ fromPaise: b.fromPaise, toPaise: b.toPaise ?? null, count: 0 })),
  },
  total: 0,
  nextCursor: null,
  degraded: false,
});

const hash = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

const positionSchema = once(() =>
  z.strictObject({ o: z.number().check(z.int(), z.gte(0), z.lte(MAX_OFFSET)) }),
);

export async function searchProducts(
  deps: SearchDeps,
  params: SearchParams,
  context: { readonly storeId?: string; readonly userId?: string },
): Promise<SearchAnswer> {
  const text = normaliseQuery(params.q);
  const filters = {
    text,
    categoryId: params.categoryId,
    brand: params.brand?.trim() || undefined,
    minPricePaise: params.minPrice,
    maxPricePaise: params.maxPrice,
    sort: params.sort,
  };
  // The cursor belongs to this exact search (and the stock filter): from another search it is a 400.
  const scope = `search:${hash({ ...filters, inStock: params.inStock === true, limit: params.limit })}`;
  const position = decodeCursor(params.cursor, scope, positionSchema);
  const storeId =
    context.storeId ?? (context.userId ? await deps.savedStores.storeOf(context.userId) : undefined);
  if (params.inStock && !storeId)
    throw new ValidationError('inStock needs a store.', [
      {
        in: 'query',
        field: 'inStock',
        message: 'Pass storeId (or save a delivery location) to filter by stock',
      },
    ]);
  // Nothing to look for (no words, no category, no brand): an empty page, not an error.
  if (!text && !filters.categoryId && !filters.brand) return emptyAnswer();

  const offset = position?.o ?? 0;
  let degraded = false;
  const page = async (from: number, size: number) => {
    const result = await resultFor(deps, { ...filters, offset: from, size });
    degraded ||= result.degraded;
    return result.result;
  };

  if (!params.inStock || !storeId) {
    const result = await page(offset, params.limit);
    const next = offset + params.limit;
    const items = await withAvailability(deps, result.hits, storeId);
    return {
      items,
      facets: result.facets,
      total: result.total,
      nextCursor: next < result.total && next <= MAX_OFFSET ? encodeCursor({ o: next }, scope) : null,
      degraded,
    };
  }

  // In stock at the store: read candidates in windows and keep those with sellable units.
  const kept: SearchHit[] = [];
  let from = offset;
  let first: SearchResult | undefined;
  for (let window = 0; window < STOCK_WINDOWS_PER_PAGE && kept.length < params.limit; window++) {
    const result = await page(from, STOCK_WINDOW);
    first ??= result;
    const candidates = await withAvailability(deps, result.hits, storeId);
    let consumed = 0;
    for (const hit of candidates) {
      consumed++;
      if (hit.availability?.status !== 'out_of_stock') kept.push(hit);
      if (kept.length === params.limit) break;
    }
    from += consumed;
    if (result.hits.length < STOCK_WINDOW && consumed === result.hits.length) {
      from = result.total;
      break;
    }
  }
  const total = first?.total ?? 0;
  return {
    items: kept,
    facets: first?.facets ?? emptyAnswer().facets,
    total,
    nextCursor: from < total && from <= MAX_OFFSET ? encodeCursor({ o: from }, scope) : null,
    degraded,
  };
}

async function withAvailability(
  deps: SearchDeps,
  hits: readonly SearchDocument[],
  storeId: string | undefined,
): Promise<SearchHit[]> {
  if (!storeId || hits.length === 0) return hits.map((doc) => ({ doc }));
  const lines = await deps.stock.linesFor(
    storeId,
    hits.map((h) => h.id),
  );
  return hits.map((doc) => ({ doc, availability: availabilityOf(storeId, lines.get(doc.id)) }));
}

/** One engine page through the cache; on engine trouble the stale copy, else DynamoDB. */
async function resultFor(
  deps: SearchDeps,
  query: SearchQuery,
): Promise<{ result: SearchResult; degraded: boolean }> {
  const key = hash(query);
  const fresh: CacheEntry = { key: `search:${key}`, kind: 'search' };
  const stale: CacheEntry = { key: `search-stale:${key}`, kind: 'searchStale' };
  try {
    const result = await deps.cache.getOrLoad(fresh, async () => {
      const loaded = await withBudget(deps, (signal) => {
        if (!deps.engine) throw new SearchUnavailableError('No search engine configured');
        return deps.engine.search(query, { signal });
      });
      await deps.cache.set([{ entry: stale, value: loaded }]);
      return loaded;
    });
    return { result, degraded: false };
  } catch (err) {
    if (!(err instanceof SearchUnavailableError)) throw err;
    const cached = await staleCopy<SearchResult>(deps.cache, stale);
    if (cached) {
      deps.degraded('cache', err);
      return { result: cached, degraded: true };
    }
    deps.degraded('dynamodb', err);
    return { result: await fallbackSearch(deps, query), degraded: true };
  }
}

class NotCached extends Error {}

/** The stale copy, if the cache holds one (a load that throws stores nothing). */
async function staleCopy<T>(cache: Cache, entry: CacheEntry): Promise<T | undefined> {
  if (!cache.enabled) return undefined;
  try {
    return await cache.getOrLoad<T>(entry, () => Promise.reject(new NotCached()));
  } catch {
    return undefined;
  }
}

async function withBudget<T>(deps: SearchDeps, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const budget = deps.budgetMs ?? SEARCH_BUDGET_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SearchUnavailableError(`Search engine exceeded its ${budget} ms budget`));
    }, budget);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } catch (err) {
    throw err instanceof SearchUnavailableError
      ? err
      : new SearchUnavailableError(`Search engine failed: ${String(err)}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** The degraded search: name prefix within the category (or everywhere), then the other filters, by name. */
async function fallbackSearch(deps: SearchDeps, query: SearchQuery): Promise<SearchResult> {
  const want = Math.min(query.offset + query.size, MAX_OFFSET + query.size);
  const [categories, products] = await Promise.all([
    deps.catalog.categories(),
    deps.catalog.fallback(query.text, query.categoryId, Math.max(want * 2, 100)),
  ]);
  const brand = query.brand?.toLowerCase();
  const docs = products
    .map((p) => documentOf(p, categories))
    .filter((d): d is SearchDocument => d !== undefined)
    .filter(
      (d) =>
        (brand === undefined || d.brand?.toLowerCase() === brand) &&
        (query.minPricePaise === undefined || d.pricePaise >= query.minPricePaise) &&
        (query.maxPricePaise === undefined || d.pricePaise <= query.maxPricePaise),
    );
  const sorted =
    query.sort === 'price_asc'
      ? [...docs].sort((a, b) => a.pricePaise - b.pricePaise || a.id.localeCompare(b.id))
      : query.sort === 'price_desc'
        ? [...docs].sort((a, b) => b.pricePaise - a.pricePaise || a.id.localeCompare(b.id))
        : query.sort === 'popularity'
          ? [...docs].sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id))
          : docs;
  return {
    hits: sorted.slice(query.offset, query.offset + query.size),
    total: sorted.length,
    facets: facetsOf(sorted),
  };
}

function facetsOf(docs: readonly SearchDocument[]): Facets {
  const countBy = (values: (string | undefined)[]) => {
    const counts = new Map<string, number>();
    for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 20);
  };
  return {
    categories: countBy(docs.map((d) => d.categoryId)).map(([id, count]) => ({ id, count })),
    brands: countBy(docs.map((d) => d.brand)).map(([value, count]) => ({ value, count })),
    priceBands: PRICE_BANDS.map((b) => ({
      fromPaise: b.fromPaise,
      toPaise: b.toPaise ?? null,
      count: docs.filter(
        (d) => d.pricePaise >= b.fromPaise && (b.toPaise === undefined || d.pricePaise < b.toPaise),
      ).length,
    })),
  };
}

export async function suggest(
  deps: Pick<SearchDeps, 'engine' | 'cache' | 'catalog' | 'degraded' | 'budgetMs'>,
  q: string | undefined,
): Promise<{ suggestions: string[]; degraded: boolean }> {
  const text = normaliseQuery(q);
  if (!text) return { suggestions: [], degraded: false };
  const key = hash({ suggest: text });
  const fresh: CacheEntry = { key: `suggest:${key}`, kind: 'search' };
  const stale: CacheEntry = { key: `suggest-stale:${key}`, kind: 'searchStale' };
  try {
    const suggestions = await deps.cache.getOrLoad(fresh, async () => {
      const loaded = await withBudget(deps as SearchDeps, (signal) => {
        if (!deps.engine) throw new SearchUnavailableError('No search engine configured');
        return deps.engine.suggest(text, SUGGEST_MAX, { signal });
      });
      await deps.cache.set([{ entry: stale, value: loaded }]);
      return loaded;
    });
    return { suggestions, degraded: false };
  } catch (err) {
    if (!(err instanceof SearchUnavailableError)) throw err;
    const cached = await staleCopy<string[]>(deps.cache, stale);
    if (cached) {
      deps.degraded('cache', err);
      return { suggestions: cached, degraded: true };
    }
    deps.degraded('dynamodb', err);
    const products = await deps.catalog.fallback(text, undefined, SUGGEST_MAX);
    return { suggestions: [...new Set(products.map((p) => p.name))].slice(0, SUGGEST_MAX), degraded: true };
  }
}
