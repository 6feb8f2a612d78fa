/**
 * The search port over the local engine (local/engines/search-engine.mjs: Orama behind a small HTTP API),
 * for the local platform and the tests. It builds the Orama schema and search parameters here, as the
 * OpenSearch adapter builds mappings and query DSL, so the engine process holds no search logic.
 *
 * How the OpenSearch behaviour is matched: the English analyser is Orama's English tokenizer with stemming;
 * typo tolerance is Orama's Levenshtein `tolerance` (the edits of the query's shortest word, domain.editsFor);
 * prefixes come free from Orama's radix tree (OpenSearch needs edge n-grams); synonyms are expanded into the
 * document (a `synonyms` field with the other names of what the product is called), where OpenSearch
 * expands them in the query; `external_gte` versions are the engine's.
 */
import {
  FACET_SIZE,
  PRICE_BANDS,
  PRODUCTS_ALIAS,
  PRODUCTS_BUILDING_ALIAS,
  SYNONYMS,
  editsFor,
  emptyFacets,
  productsIndexName,
  synonymsIn,
  type Facets,
  type SearchDocument,
  type SearchQuery,
  type SearchResult,
} from '../domain';
import { SearchUnavailableError, type BulkOperation, type BulkOutcome, type SearchEngine } from '../ports';

export const LOCAL_SCHEMA = {
  id: 'string',
  slug: 'string',
  name: 'string',
  brand: 'string',
  brandKey: 'enum',
  categoryId: 'enum',
  categoryIds: 'enum[]',
  categoryPath: 'string',
  tags: 'string[]',
  synonyms: 'string[]',
  /** Every searchable word of the product in one field: Orama requires all words of a query in one field. */
  keywords: 'string',
  description: 'string',
  unit: 'string',
  pricePaise: 'number',
  mrpPaise: 'number',
  popularity: 'number',
} as const;

/** Field weights of a text match (OpenSearch: the same boosts in its multi_match). */
const BOOST = { name: 3, brand: 2, synonyms: 2, tags: 1.5, categoryPath: 1, keywords: 1 } as const;
const PRICE_CEILING = 100_000_000;

type LocalDocument = SearchDocument & {
  readonly brandKey?: string;
  readonly synonyms: readonly string[];
  readonly keywords: string;
};

export const brandKey = (brand: string): string => brand.trim().toLowerCase();

export function localDocument(doc: SearchDocument): LocalDocument {
  const synonyms = synonymsIn([doc.name, ...doc.tags, doc.categoryPath].join(' '));
  return {
    ...doc,
    ...(doc.brand ? { brandKey: brandKey(doc.brand) } : {}),
    synonyms,
    keywords: [doc.name, doc.brand, ...doc.tags, ...synonyms, doc.categoryPath].filter(Boolean).join(' '),
  };
}

interface OramaHit {
  readonly id: string;
  readonly score: number;
  readonly document: LocalDocument;
}
interface OramaResult {
  readonly count: number;
  readonly hits: readonly OramaHit[];
  readonly facets?: Record<string, { readonly values: Record<string, number> }>;
}

/**
 * A query with its multi-word synonyms replaced by a one-word name of the same thing ("cottage cheese" →
 * "paneer"): Orama matches words, not phrases, so "cheese" alone would otherwise rank cheese slices first.
 * Documents carry every name of what they are (`synonyms`), so the one word finds them all.
 */
export function withOneWordSynonyms(text: string): string {
  let padded = ` ${text} `;
  for (const group of SYNONYMS) {
    const oneWord = group.find((term) => !term.includes(' '));
    if (!oneWord) continue;
    for (const term of group)
      if (term.includes(' ') && padded.includes(` ${term} `))
        padded = padded.replace(` ${term} `, ` ${oneWord} `);
  }
  return padded.trim();
}

/** The Orama search parameters of a query (exported for the contract and unit tests). */
export function oramaSearchParams(query: SearchQuery): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (query.categoryId) where.categoryIds = { containsAll: [query.categoryId] };
  if (query.brand) where.brandKey = { eq: brandKey(query.brand) };
  if (query.minPricePaise !== undefined || query.maxPricePaise !== undefined)
    where.pricePaise = { between: [query.minPricePaise ?? 0, query.maxPricePaise ?? PRICE_CEILING] };
  const text = withOneWordSynonyms(query.text);
  const words = text.split(' ').filter((w) => w.length > 0);
  const tolerance = words.length > 0 ? Math.min(...words.map(editsFor)) : 0;
  const sort =
    query.sort === 'price_asc'
      ? { property: 'pricePaise', order: 'ASC' }
      : query.sort === 'price_desc'
        ? { property: 'pricePaise', order: 'DESC' }
        : query.sort === 'popularity' || words.length === 0
          ? { property: 'popularity', order: 'DESC' }
          : undefined;
  return {
    term: text,
    properties: Object.keys(BOOST),
    boost: BOOST,
    tolerance,
    // Every word must match (a product that only shares one word with a long query is noise).
    threshold: 0,
    ...(Object.keys(where).length > 0 ? { where } : {}),
    ...(sort ? { sortBy: sort } : {}),
    limit: query.size,
    offset: query.offset,
    facets: {
      categoryId: { limit: FACET_SIZE, sort: 'DESC' },
      brandKey: { limit: FACET_SIZE, sort: 'DESC' },
      pricePaise: {
        ranges: PRICE_BANDS.map((b) => ({ from: b.fromPaise, to: (b.toPaise ?? PRICE_CEILING) - 1 })),
      },
    },
  };
}

function facetsOf(result: OramaResult, brandNames: ReadonlyMap<string, string>): Facets {
  const values = (name: string) => Object.entries(result.facets?.[name]?.values ?? {});
  const empty = emptyFacets();
  const bands = values('pricePaise');
  return {
    categories: values('categoryId')
      .filter(([, count]) => count > 0)
      .map(([id, count]) => ({ id, count })),
    brands: values('brandKey')
      .filter(([key, count]) => count > 0 && key !== '')
      .map(([key, count]) => ({ value: brandNames.get(key) ?? key, count })),
    priceBands: empty.priceBands.map((band, i) => ({ ...band, count: bands[i]?.[1] ?? 0 })),
  };
}

const strip = ({ brandKey: _b, synonyms: _s, keywords: _k, ...doc }: LocalDocument): SearchDocument => doc;

export class LocalSearchEngine implements SearchEngine {
  constructor(
    private readonly endpoint: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async search(query: SearchQuery, opts: { signal?: AbortSignal } = {}): Promise<SearchResult> {
    // Orama scores a fuzzy match like an exact one: typos are only allowed when the words as typed find nothing.
    const params = oramaSearchParams(query);
    const search = (p: Record<string, unknown>) =>
      this.call<OramaResult>('POST', `/targets/${PRODUCTS_ALIAS}/search`, p, opts.signal);
    let result = await search(params.tolerance ? { ...params, tolerance: 0 } : params);
    if (result.count === 0 && params.tolerance) result = await search(params);
    // Facet values are brand keys (lower case): show each as a document on the page spells it.
    const brandNames = new Map<string, string>();
    for (const hit of result.hits)
      if (hit.document.brand) brandNames.set(brandKey(hit.document.brand), hit.document.brand);
    return {
      hits: result.hits.map((h) => strip(h.document)),
      total: result.count,
      facets: facetsOf(result, brandNames),
    };
  }

  async suggest(prefix: string, size: number, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
    if (!prefix) return [];
    const result = await this.call<OramaResult>(
      'POST',
      `/targets/${PRODUCTS_ALIAS}/search`,
      {
        term: prefix,
        properties: ['name', 'brand'],
        boost: { name: 2, brand: 1 },
        tolerance: 0,
        threshold: 0,
        limit: size * 3,
      },
      opts.signal,
    );
    return [...new Set(result.hits.map((h) => h.document.name))].slice(0, size);
  }

  async bulk(operations: readonly BulkOperation[], opts: { index?: string } = {}): Promise<BulkOutcome> {
    if (operations.length === 0) return { failed: [] };
    const aliases = opts.index ? {} : await this.aliases();
    const targets = opts.index
      ? [opts.index]
      : [PRODUCTS_ALIAS, PRODUCTS_BUILDING_ALIAS].filter((a) => aliases[a]?.length);
    if (targets.length === 0) throw new SearchUnavailableError('No products index to write to yet');
    const body = {
      operations: operations.map((o) =>
        o.op === 'index'
          ? { op: 'index', doc: localDocument(o.doc), version: o.doc.version }
          : { op: 'delete', id: o.id, version: o.version },
      ),
    };
    const failed = new Map<string, string>();
    for (const target of targets) {
      const { results } = await this.call<{ results: { id: string; status: string; error?: string }[] }>(
        'POST',
        `/targets/${target}/bulk`,
        body,
      );
      for (const r of results) if (r.status === 'error') failed.set(r.id, r.error ?? 'refused');
    }
    return { failed: [...failed].map(([id, reason]) => ({ id, reason })) };
  }

  async beginIndex(version: string): Promise<string> {
    const index = productsIndexName(version);
    await this.call('PUT', `/indexes/${index}`, { schema: LOCAL_SCHEMA });
    const building = (await this.aliases())[PRODUCTS_BUILDING_ALIAS] ?? [];
    await this.call('POST', '/aliases', {
      actions: [
        ...building.map((old) => ({ remove: { index: old, alias: PRODUCTS_BUILDING_ALIAS } })),
        { add: { index, alias: PRODUCTS_BUILDING_ALIAS } },
      ],
    });
    return index;
  }

  async publishIndex(index: string): Promise<{ previous: string[] }> {
    const previous = (await this.currentIndexes()).filter((i) => i !== index);
    await this.call('POST', '/aliases', {
      actions: [
        { add: { index, alias: PRODUCTS_ALIAS } },
        { remove: { index, alias: PRODUCTS_BUILDING_ALIAS } },
        ...previous.map((old) => ({ removeIndex: { index: old } })),
      ],
    });
    return { previous };
  }

  async currentIndexes(): Promise<string[]> {
    return (await this.aliases())[PRODUCTS_ALIAS] ?? [];
  }

  private aliases(): Promise<Record<string, string[]>> {
    return this.call('GET', '/aliases');
  }

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.endpoint}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw new SearchUnavailableError(`Local search engine unreachable: ${String(err)}`, { cause: err });
    }
    const text = await response.text();
    if (!response.ok)
      throw new SearchUnavailableError(
        `Local search engine answered ${response.status}: ${text.slice(0, 200)}`,
      );
    return JSON.parse(text) as T;
  }
}
