/**
 * The search port over Amazon OpenSearch Service: the index mapping and analysis (English analyser, Indian
 * grocery synonyms at query time, edge n-grams for prefixes), bulk bodies with external versions, the query
 * DSL of a search and a suggestion, and the alias moves of a reindex. Request and response shapes are held
 * to golden files by test/unit/search/opensearch-adapter.test.ts (@short.io/opensearch-mock).
 *
 * User text only ever reaches OpenSearch as the value of `match`/`multi_match` queries (never
 * `query_string` or `simple_query_string`), after normaliseQuery removed everything but letters and digits.
 */
import type { Client } from '@opensearch-project/opensearch';
import {
  FACET_SIZE,
  PRICE_BANDS,
  PRODUCTS_ALIAS,
  PRODUCTS_BUILDING_ALIAS,
  SYNONYMS,
  emptyFacets,
  productsIndexName,
  type SearchDocument,
  type SearchQuery,
  type SearchResult,
} from '../domain';
import { SearchUnavailableError, type BulkOperation, type BulkOutcome, type SearchEngine } from '../ports';

const TEXT_FIELDS = ['name^3', 'brand^2', 'tags^1.5', 'categoryPath', 'description^0.3'];

/** Settings and mappings of a `products-v<n>` index (dynamic: strict, so a stray field is refused). */
export function indexDefinition(replicas: number): Record<string, unknown> {
  return {
    settings: {
      index: { number_of_shards: 1, number_of_replicas: replicas },
      analysis: {
        filter: {
          english_stop: { type: 'stop', stopwords: '_english_' },
          english_stemmer: { type: 'stemmer', language: 'english' },
          english_possessive_stemmer: { type: 'stemmer', language: 'possessive_english' },
          grocery_synonyms: {
            type: 'synonym_graph',
            synonyms: SYNONYMS.map((group) => group.join(', ')),
          },
          prefix_ngrams: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
        },
        normalizer: { lowercase: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
        analyzer: {
          product_text: {
            tokenizer: 'standard',
            filter: [
              'english_possessive_stemmer',
              'lowercase',
              'asciifolding',
              'english_stop',
              'english_stemmer',
            ],
          },
          // Synonym graphs belong at query time: changing them then needs no reindex.
          product_search: {
            tokenizer: 'standard',
            filter: [
              'english_possessive_stemmer',
              'lowercase',
              'asciifolding',
              'grocery_synonyms',
              'english_stop',
              'english_stemmer',
            ],
          },
          product_prefix: { tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'prefix_ngrams'] },
          product_prefix_search: { tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
        },
      },
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        id: { type: 'keyword' },
        slug: { type: 'keyword', index: false },
        name: {
          type: 'text',
          analyzer: 'product_text',
          search_analyzer: 'product_search',
          fields: {
            prefix: { type: 'text', analyzer: 'product_prefix', search_analyzer: 'product_prefix_search' },
            raw: { type: 'keyword', ignore_above: 256 },
          },
        },
        brand: {
          type: 'text',
          analyzer: 'product_text',
          search_analyzer: 'product_search',
          fields: {
            raw: { type: 'keyword', ignore_above: 256 },
            key: { type: 'keyword', normalizer: 'lowercase', ignore_above: 256 },
          },
        },
        categoryId: { type: 'keyword' },
        categoryIds: { type: 'keyword' },
        categoryPath: { type: 'text', analyzer: 'product_text', search_analyzer: 'product_search' },
        tags: { type: 'text', analyzer: 'product_text', search_analyzer: 'product_search' },
        description: { type: 'text', analyzer: 'product_text', search_analyzer: 'product_search' },
        unit: { type: 'keyword', index: false },
        pricePaise: { type: 'long' },
        mrpPaise: { type: 'long', index: false },
        popularity: { type: 'long' },
        active: { type: 'boolean' },
        imageKey: { type: 'keyword', index: false },
        version: { type: 'long' },
      },
    },
  };
}

/** The NDJSON lines of one bulk request against one index (external_gte: older writes lose). */
export function bulkBody(index: string, operations: readonly BulkOperation[]): Record<string, unknown>[] {
  return operations.flatMap((o) =>
    o.op === 'index'
      ? [
          { index: { _index: index, _id: o.doc.id, version: o.doc.version, version_type: 'external_gte' } },
          o.doc as unknown as Record<string, unknown>,
        ]
      : [{ delete: { _index: index, _id: o.id, version: o.version, version_type: 'external_gte' } }],
  );
}

/** The request body of a search. */
export function searchBody(query: SearchQuery): Record<string, unknown> {
  const filter: Record<string, unknown>[] = [{ term: { active: true } }];
  if (query.categoryId) filter.push({ term: { categoryIds: query.categoryId } });
  if (query.brand) filter.push({ term: { 'brand.key': query.brand } });
  if (query.minPricePaise !== undefined || query.maxPricePaise !== undefined)
    filter.push({
      range: {
        pricePaise: {
          ...(query.minPricePaise !== undefined ? { gte: query.minPricePaise } : {}),
          ...(query.maxPricePaise !== undefined ? { lte: query.maxPricePaise } : {}),
        },
      },
    });
  const words = query.text.split(' ').filter((w) => w.length > 0);
  const text =
    words.length === 0
      ? { match_all: {} }
      : {
          bool: {
            should: [
              // Exact words and their synonyms (the search analyser), every word somewhere.
              {
                multi_match: {
                  query: query.text,
                  type: 'cross_fields',
                  fields: TEXT_FIELDS,
                  operator: 'and',
                  boost: 2,
                },
              },
              // Typos: each word within its edits (AUTO:3,6 = 0 up to 2 letters, 1 up to 5, 2 beyond).
              {
                bool: {
                  must: words.map((word) => ({
                    multi_match: {
                      query: word,
                      fields: TEXT_FIELDS,
                      fuzziness: 'AUTO:3,6',
                      prefix_length: 1,
                    },
                  })),
                },
              },
              // A name that reads as typed ranks above one that merely contains the words.
              { match_phrase: { name: { query: query.text, boost: 3 } } },
            ],
            minimum_should_match: 1,
          },
        };
  const tieBreak = { id: 'asc' };
  const sort =
    query.sort === 'price_asc'
      ? [{ pricePaise: 'asc' }, tieBreak]
      : query.sort === 'price_desc'
        ? [{ pricePaise: 'desc' }, tieBreak]
        : query.sort === 'popularity' || words.length === 0
          ? [{ popularity: 'desc' }, tieBreak]
          : ['_score', { popularity: 'desc' }, tieBreak];
  return {
    from: query.offset,
    size: query.size,
    track_total_hits: true,
    query: { bool: { must: [text], filter } },
    sort,
    aggs: {
      categories: { terms: { field: 'categoryId', size: FACET_SIZE } },
      brands: { terms: { field: 'brand.raw', size: FACET_SIZE } },
      priceBands: {
        range: {
          field: 'pricePaise',
          ranges: PRICE_BANDS.map((b) => ({ from: b.fromPaise, ...(b.toPaise ? { to: b.toPaise } : {}) })),
        },
      },
    },
  };
}

export function suggestBody(prefix: string, size: number): Record<string, unknown> {
  return {
    size,
    _source: ['name'],
    query: {
      bool: {
        must: [{ match: { 'name.prefix': { query: prefix, operator: 'and' } } }],
        filter: [{ term: { active: true } }],
      },
    },
    sort: ['_score', { popularity: 'desc' }],
    collapse: { field: 'name.raw' },
  };
}

interface Bucket {
  readonly key: string | number;
  readonly doc_count: number;
}
interface SearchResponseBody {
  readonly hits: {
    readonly total: { readonly value: number } | number;
    readonly hits: readonly { readonly _source: SearchDocument }[];
  };
  readonly aggregations?: Record<string, { readonly buckets: readonly Bucket[] }>;
}

export function searchResult(body: SearchResponseBody): SearchResult {
  const buckets = (name: string) => body.aggregations?.[name]?.buckets ?? [];
  const bands = buckets('priceBands');
  const total = typeof body.hits.total === 'number' ? body.hits.total : body.hits.total.value;
  return {
    hits: body.hits.hits.map((h) => h._source),
    total,
    facets: {
      categories: buckets('categories').map((b) => ({ id: String(b.key), count: b.doc_count })),
      brands: buckets('brands').map((b) => ({ value: String(b.key), count: b.doc_count })),
      priceBands: emptyFacets().priceBands.map((band, i) => ({ ...band, count: bands[i]?.doc_count ?? 0 })),
    },
  };
}

type BulkItem = Record<
  string,
  { readonly _id: string; readonly status: number; readonly error?: { readonly type?: string } }
>;

export interface OpenSearchEngineOptions {
  /** Replicas of a new index (0 on a single node, 1+ with zone awareness). */
  readonly replicas?: number;
}

export class OpenSearchEngine implements SearchEngine {
  constructor(
    private readonly client: () => Promise<Client>,
    private readonly opts: OpenSearchEngineOptions = {},
  ) {}

  async search(query: SearchQuery, opts: { signal?: AbortSignal } = {}): Promise<SearchResult> {
    const response = await this.request(
      (c) => c.search({ index: PRODUCTS_ALIAS, body: searchBody(query) as never }),
      opts.signal,
    );
    return searchResult(response.body as unknown as SearchResponseBody);
  }

  async suggest(prefix: string, size: number, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
    if (!prefix) return [];
    const response = await this.request(
      (c) => c.search({ index: PRODUCTS_ALIAS, body: suggestBody(prefix, size) as never }),
      opts.signal,
    );
    const body = response.body as unknown as SearchResponseBody;
    return body.hits.hits.map((h) => h._source.name);
  }

  async bulk(operations: readonly BulkOperation[], opts: { index?: string } = {}): Promise<BulkOutcome> {
    if (operations.length === 0) return { failed: [] };
    const targets = opts.index ? [opts.index] : await this.writeTargets();
    if (targets.length === 0) throw new SearchUnavailableError('No products index to write to yet');
    const failed = new Map<string, string>();
    for (const index of targets) {
      const response = await this.request((c) => c.bulk({ body: bulkBody(index, operations) as never }));
      const items = (response.body as unknown as { items: readonly BulkItem[] }).items;
      for (const item of items) {
        const [action, result] = Object.entries(item)[0]!;
        // 409: the index has a newer version (a replay or a reindex got there first); 404: deleted already.
        const fine =
          (result.status >= 200 && result.status < 300) ||
          result.status === 409 ||
          (action === 'delete' && result.status === 404);
        if (!fine) failed.set(result._id, result.error?.type ?? `status ${result.status}`);
      }
    }
    return { failed: [...failed].map(([id, reason]) => ({ id, reason })) };
  }

  async beginIndex(version: string): Promise<string> {
    const index = productsIndexName(version);
    await this.request((c) =>
      c.indices.create({ index, body: indexDefinition(this.opts.replicas ?? 0) as never }),
    );
    const building = await this.aliasIndexes(PRODUCTS_BUILDING_ALIAS);
    await this.request((c) =>
      c.indices.updateAliases({
        body: {
          actions: [
            ...building.map((old) => ({ remove: { index: old, alias: PRODUCTS_BUILDING_ALIAS } })),
            { add: { index, alias: PRODUCTS_BUILDING_ALIAS } },
          ],
        } as never,
      }),
    );
    return index;
  }

  async publishIndex(index: string): Promise<{ previous: string[] }> {
    const previous = (await this.currentIndexes()).filter((i) => i !== index);
    await this.request((c) => c.indices.refresh({ index }));
    await this.request((c) =>
      c.indices.updateAliases({
        body: {
          actions: [
            { add: { index, alias: PRODUCTS_ALIAS } },
            { remove: { index, alias: PRODUCTS_BUILDING_ALIAS } },
            ...previous.map((old) => ({ remove_index: { index: old } })),
          ],
        } as never,
      }),
    );
    return { previous };
  }

  currentIndexes(): Promise<string[]> {
    return this.aliasIndexes(PRODUCTS_ALIAS);
  }

  private async writeTargets(): Promise<string[]> {
    const [current, building] = await Promise.all([
      this.aliasIndexes(PRODUCTS_ALIAS),
      this.aliasIndexes(PRODUCTS_BUILDING_ALIAS),
    ]);
    return [...new Set([...current, ...building])];
  }

  private async aliasIndexes(alias: string): Promise<string[]> {
    try {
      const response = await this.request((c) => c.indices.getAlias({ name: alias }), undefined, true);
      return Object.keys(response.body as Record<string, unknown>);
    } catch (err) {
      if (statusOf(err) === 404) return [];
      throw err;
    }
  }

  private async request<T>(
    call: (client: Client) => Promise<T>,
    signal?: AbortSignal,
    notFoundIsAnswer = false,
  ): Promise<T> {
    const client = await this.client().catch((err: unknown) => {
      throw new SearchUnavailableError(`OpenSearch client: ${String(err)}`, { cause: err });
    });
    const pending = call(client);
    const aborted = signal
      ? new Promise<never>((_, reject) => {
          const abort = () => reject(new SearchUnavailableError('OpenSearch exceeded its time budget'));
          if (signal.aborted) abort();
          signal.addEventListener('abort', abort, { once: true });
        })
      : undefined;
    try {
      return await (aborted ? Promise.race([pending, aborted]) : pending);
    } catch (err) {
      if (err instanceof SearchUnavailableError) throw err;
      // An alias lookup reads a 404 as "no such alias"; anywhere else (no products alias yet, say) and for
      // any other failure OpenSearch is not serving.
      if (notFoundIsAnswer && statusOf(err) === 404) throw err;
      throw new SearchUnavailableError(`OpenSearch request failed: ${String(err)}`, { cause: err });
    } finally {
      pending.catch(() => undefined);
    }
  }
}

function statusOf(err: unknown): number | undefined {
  const meta = (err as { meta?: { statusCode?: number } } | undefined)?.meta;
  return typeof meta?.statusCode === 'number' ? meta.statusCode : undefined;
}

/**
 * The client for a domain endpoint, SigV4-signed with the function's role credentials (from the
 * environment, as every SDK client here). Imported on first use: the client and its signer are CommonJS
 * and stay out of the code a cold start loads.
 */
export function openSearchClient(endpoint: string, region: string): () => Promise<Client> {
  let client: Promise<Client> | undefined;
  return () =>
    (client ??= (async () => {
      const [{ Client: OpenSearchClient }, { AwsSigv4Signer }, { fromEnv }] = await Promise.all([
        import('@opensearch-project/opensearch').then((m) => ('default' in m ? m.default : m) as typeof m),
        import('@opensearch-project/opensearch/aws-v3').then(
          (m) => ('default' in m ? m.default : m) as typeof m,
        ),
        import('@aws-sdk/credential-provider-env'),
      ]);
      const credentials = fromEnv();
      return new OpenSearchClient({
        ...AwsSigv4Signer({ region, service: 'es', getCredentials: () => credentials() }),
        node: endpoint,
        requestTimeout: 2_000,
        maxRetries: 1,
      });
    })());
}
