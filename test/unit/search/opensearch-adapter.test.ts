/**
 * The OpenSearch adapter's request and response shapes, against the real OpenSearch client with its HTTP
 * layer mocked (@short.io/opensearch-mock): mapping, bulk bodies, queries, alias moves. Request bodies are
 * compared with golden files in ./golden (set UPDATE_GOLDEN=1 to rewrite them after an intended change).
 */
import { Client, errors } from '@opensearch-project/opensearch';
import Mock from '@short.io/opensearch-mock';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenSearchEngine } from '../../../functions/search/adapters/opensearch';
import type { SearchDocument } from '../../../functions/search/domain';
import { SearchUnavailableError } from '../../../functions/search/ports';

const GOLDEN = join(__dirname, 'golden');

function expectGolden(name: string, actual: unknown): void {
  const file = join(GOLDEN, `${name}.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, text);
  }
  if (!existsSync(file)) throw new Error(`No golden file ${file}: run with UPDATE_GOLDEN=1 and review it`);
  expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

const doc: SearchDocument = {
  id: '01JGD0000000000000000000A1',
  slug: 'amul-butter-500-g',
  name: 'Amul Butter',
  brand: 'Amul',
  categoryIds: ['01JGD0000000000000000000C2', '01JGD0000000000000000000C1'],
  categoryId: '01JGD0000000000000000000C2',
  categoryPath: 'Dairy, Bread & Eggs > Butter & Cheese',
  tags: ['butter', 'dairy'],
  description: 'Pasteurised table butter',
  unit: '500 g',
  pricePaise: 28_500,
  mrpPaise: 29_000,
  popularity: 420,
  active: true,
  version: 3,
};

let mock: Mock;
let requests: { method: string; path: string; body?: unknown }[];
let engine: OpenSearchEngine;

beforeEach(() => {
  mock = new Mock();
  requests = [];
  const client = new Client({ node: 'http://search.test:9200', Connection: mock.getConnection() });
  engine = new OpenSearchEngine(async () => client, { replicas: 1 });
});

const record =
  <T>(answer: T) =>
  (params: { method: string | string[]; path: string | string[]; body?: unknown }) => {
    requests.push({ method: String(params.method), path: String(params.path), body: params.body });
    return answer as Record<string, unknown>;
  };

describe('the OpenSearch adapter', () => {
  it('creates a versioned index with the explicit mapping and names it the building alias', async () => {
    mock.add({ method: 'PUT', path: '/products-v7' }, record({ acknowledged: true }));
    mock.add(
      { method: 'GET', path: '/_alias/products-building' },
      () => new errors.ResponseError({ body: { status: 404 }, statusCode: 404 } as never),
    );
    mock.add({ method: 'POST', path: '/_aliases' }, record({ acknowledged: true }));

    await expect(engine.beginIndex('7')).resolves.toBe('products-v7');

    expectGolden('create-index', requests[0]!.body);
    expectGolden('begin-index-aliases', requests[1]!.body);
  });

  it('writes index and delete operations with external versions to every index being written', async () => {
    mock.add({ method: 'GET', path: '/_alias/products' }, () => ({ 'products-v6': { aliases: {} } }));
    mock.add({ method: 'GET', path: '/_alias/products-building' }, () => ({
      'products-v7': { aliases: {} },
    }));
    mock.add(
      { method: 'POST', path: '/_bulk' },
      record({
        errors: true,
        items: [
          { index: { _id: doc.id, status: 201 } },
          { delete: { _id: '01JGD0000000000000000000A2', status: 404 } },
          { index: { _id: 'stale', status: 409, error: { type: 'version_conflict_engine_exception' } } },
          { index: { _id: 'refused', status: 400, error: { type: 'mapper_parsing_exception' } } },
        ],
      }),
    );

    const outcome = await engine.bulk([
      { op: 'index', doc },
      { op: 'delete', id: '01JGD0000000000000000000A2', version: 5 },
    ]);

    expect(requests.map((r) => r.path)).toEqual(['/_bulk', '/_bulk']);
    expectGolden('bulk-v6', requests[0]!.body);
    expect(JSON.stringify(requests[1]!.body)).toContain('"_index":"products-v7"');
    // A stale version (409) and a delete of what is gone (404) are fine; a mapping refusal is not.
    expect(outcome.failed).toEqual([{ id: 'refused', reason: 'mapper_parsing_exception' }]);
  });

  it('searches through the alias with filters, fuzziness, sort and facets, and maps the answer', async () => {
    mock.add(
      { method: 'POST', path: '/products/_search' },
      record({
        hits: { total: { value: 41, relation: 'eq' }, hits: [{ _id: doc.id, _source: doc }] },
        aggregations: {
          categories: { buckets: [{ key: doc.categoryId, doc_count: 41 }] },
          brands: { buckets: [{ key: 'Amul', doc_count: 30 }] },
          priceBands: {
            buckets: [
              { key: '0.0-5000.0', doc_count: 0 },
              { key: '5000.0-10000.0', doc_count: 1 },
              { key: '10000.0-20000.0', doc_count: 10 },
              { key: '20000.0-50000.0', doc_count: 30 },
              { key: '50000.0-*', doc_count: 0 },
            ],
          },
        },
      }),
    );

    const result = await engine.search({
      text: 'amul buter',
      categoryId: '01JGD0000000000000000000C1',
      brand: 'amul',
      minPricePaise: 10_000,
      maxPricePaise: 50_000,
      sort: 'price_asc',
      offset: 20,
      size: 10,
    });

    expectGolden('search-filters', requests[0]!.body);
    expect(result).toEqual({
      hits: [doc],
      total: 41,
      facets: {
        categories: [{ id: doc.categoryId, count: 41 }],
        brands: [{ value: 'Amul', count: 30 }],
        priceBands: [
          { fromPaise: 0, toPaise: 5000, count: 0 },
          { fromPaise: 5000, toPaise: 10000, count: 1 },
          { fromPaise: 10000, toPaise: 20000, count: 10 },
          { fromPaise: 20000, toPaise: 50000, count: 30 },
          { fromPaise: 50000, toPaise: null, count: 0 },
        ],
      },
    });
  });

  it('asks for suggestions on the edge n-gram field, one per name', async () => {
    mock.add(
      { method: 'POST', path: '/products/_search' },
      record({
        hits: {
          total: { value: 2 },
          hits: [{ _source: { name: 'Amul Paneer' } }, { _source: { name: 'Amul Pure Ghee' } }],
        },
      }),
    );
    await expect(engine.suggest('amul p', 10)).resolves.toEqual(['Amul Paneer', 'Amul Pure Ghee']);
    expectGolden('suggest', requests[0]!.body);
  });

  it('moves the alias in one atomic request and deletes the old index with it', async () => {
    mock.add({ method: 'GET', path: '/_alias/products' }, () => ({ 'products-v6': { aliases: {} } }));
    mock.add({ method: ['POST', 'GET'], path: '/products-v7/_refresh' }, record({ _shards: {} }));
    mock.add({ method: 'POST', path: '/_aliases' }, record({ acknowledged: true }));

    await expect(engine.publishIndex('products-v7')).resolves.toEqual({ previous: ['products-v6'] });
    expectGolden('publish-aliases', requests.find((r) => r.path === '/_aliases')!.body);
  });

  it('reports an engine that fails or is missing its alias as unavailable', async () => {
    mock.add(
      { method: 'POST', path: '/products/_search' },
      () => new errors.ResponseError({ body: { status: 503 }, statusCode: 503 } as never),
    );
    await expect(
      engine.search({ text: 'milk', sort: 'relevance', offset: 0, size: 5 }),
    ).rejects.toBeInstanceOf(SearchUnavailableError);
    mock.clearAll();
    mock.add(
      { method: 'POST', path: '/products/_search' },
      () => new errors.ResponseError({ body: { status: 404 }, statusCode: 404 } as never),
    );
    await expect(engine.suggest('mil', 5)).rejects.toBeInstanceOf(SearchUnavailableError);
  });

  it('gives up on a request that outlives its budget', async () => {
    mock.add({ method: 'POST', path: '/products/_search' }, () => new Promise(() => undefined) as never);
    const budget = new AbortController();
    const pending = engine.search(
      { text: 'milk', sort: 'relevance', offset: 0, size: 5 },
      { signal: budget.signal },
    );
    budget.abort();
    await expect(pending).rejects.toBeInstanceOf(SearchUnavailableError);
  });
});
