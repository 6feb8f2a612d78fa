/**
 * The relevance set of issue 11 on the seeded catalogue (2,000 products from local/seed/catalog-data.ts),
 * through the search use case and the local engine adapter against a real local search engine (Orama in its
 * own process): exact brand + product first, a one-letter typo in the top 3, prefixes in suggestions, synonyms
 * both ways, filters, every sort, pages, and an unknown word as an empty result.
 */
import { passThroughCache } from '../../../functions/shared/cache/port';
import { LocalSearchEngine } from '../../../functions/search/adapters/local-engine';
import { reindex } from '../../../functions/search/use-cases/reindex';
import {
  searchProducts,
  suggest,
  type SearchDeps,
  type SearchParams,
} from '../../../functions/search/use-cases/search';
import { startSearchEngine } from '../../../local/engines/search';
import type { StartedEngine } from '../../../local/engines/process';
import { seededCatalogue } from '../../support/search-fixtures';

let engine: StartedEngine;
let deps: SearchDeps;
const catalogue = seededCatalogue(2000);
const degradedCalls: string[] = [];

beforeAll(async () => {
  engine = await startSearchEngine();
  const adapter = new LocalSearchEngine(engine.endpoint);
  await reindex({
    engine: adapter,
    categories: async () => catalogue.categories,
    allProducts: async function* () {
      yield catalogue.products;
    },
  });
  deps = {
    engine: adapter,
    cache: passThroughCache,
    catalog: {
      categories: async () => catalogue.categories,
      fallback: async () => {
        throw new Error('the fallback must not be used while the engine answers');
      },
    },
    stock: { linesFor: async () => new Map() },
    savedStores: { storeOf: async () => undefined },
    degraded: (source) => degradedCalls.push(source),
  };
}, 60_000);
afterAll(() => engine?.stop());
afterEach(() => expect(degradedCalls).toEqual([]));

const search = (params: Partial<SearchParams>) =>
  searchProducts(deps, { sort: 'relevance', limit: 20, ...params }, {});
const names = (answer: Awaited<ReturnType<typeof search>>) => answer.items.map((i) => i.doc.name);
describe('search relevance on the seeded catalogue', () => {
  it.each(['Pantene Conditioner', 'Amul Paneer Fresh', 'FreshHarvest Lady Finger'])(
    'ranks the product first for its exact brand and name: %s',
    async (name) => {
      const answer = await search({ q: name });
      expect(names(answer)[0]).toBe(name);
    },
  );

  it.each([
    ['Pantene Condtioner', 'Pantene Conditioner'],
    ['Amul Panear Fresh', 'Amul Paneer Fresh'],
    ['FreshHarvest Lady Fingr', 'FreshHarvest Lady Finger'],
  ])('still finds it in the top 3 with a one-letter typo: %s', async (typed, name) => {
    const answer = await search({ q: typed });
    expect(names(answer).slice(0, 3)).toContain(name);
  });

  it('finds a product by a prefix in the suggestions', async () => {
    const { suggestions, degraded } = await suggest(deps, 'panten');
    expect(degraded).toBe(false);
    expect(suggestions).toContain('Pantene Conditioner');
    expect(suggestions.length).toBeLessThanOrEqual(10);
  });

  it.each([
    ['bhindi', /lady finger/i],
    ['lady finger', /lady finger/i],
    ['dahi', /curd|dahi/i],
    ['curd', /curd|dahi/i],
    ['cottage cheese', /paneer/i],
    ['besan', /besan|gram flour/i],
  ])('finds a product under its other name: %s', async (q, expected) => {
    const answer = await search({ q });
    expect(answer.total).toBeGreaterThan(0);
    expect(names(answer)[0]).toMatch(expected);
  });

  it('answers an unknown word with an empty result, not an error', async () => {
    const answer = await search({ q: 'xyzzyq' });
    expect(answer).toMatchObject({ items: [], total: 0, nextCursor: null, degraded: false });
  });

  it('answers a query of nothing but punctuation or syntax with an empty result', async () => {
    for (const q of ['', '   ', '"*:()[]{}~^', 'name:milk OR 1=1']) {
      const answer = await search({ q });
      expect(answer.items.every((i) => i.doc.active)).toBe(true);
      if (q === 'name:milk OR 1=1') continue;
      expect(answer.total).toBe(0);
    }
  });

  it('filters by a top-level category, matching its subcategories too', async () => {
    const top = [...catalogue.categories.values()].find((c) => !c.parentId && c.name.startsWith('Dairy'))!;
    const answer = await search({ q: 'paneer', categoryId: top.id, limit: 50 });
    expect(answer.total).toBeGreaterThan(0);
    for (const item of answer.items)
      expect([item.doc.categoryId, catalogue.categories.get(item.doc.categoryId)?.parentId]).toContain(
        top.id,
      );
    expect(answer.facets.categories.every((c) => catalogue.categories.get(c.id)?.parentId === top.id)).toBe(
      true,
    );
  });

  it('filters by brand and price range, and counts facets over all matches', async () => {
    const answer = await search({
      q: 'paneer',
      brand: 'amul',
      minPrice: 5_000,
      maxPrice: 30_000,
      limit: 100,
    });
    expect(answer.total).toBeGreaterThan(0);
    for (const { doc } of answer.items) {
      expect(doc.brand).toBe('Amul');
      expect(doc.pricePaise).toBeGreaterThanOrEqual(5_000);
      expect(doc.pricePaise).toBeLessThanOrEqual(30_000);
    }
    expect(answer.facets.brands).toEqual([{ value: 'Amul', count: answer.total }]);
    expect(answer.facets.priceBands.reduce((n, b) => n + b.count, 0)).toBe(answer.total);
  });

  it.each([
    ['price_asc', (a: number, b: number) => a <= b, 'pricePaise'],
    ['price_desc', (a: number, b: number) => a >= b, 'pricePaise'],
    ['popularity', (a: number, b: number) => a >= b, 'popularity'],
  ] as const)('sorts by %s', async (sort, inOrder, field) => {
    const answer = await search({ q: 'milk', sort, limit: 50 });
    expect(answer.items.length).toBeGreaterThan(5);
    const values = answer.items.map((i) => i.doc[field]);
    for (let i = 1; i < values.length; i++) expect(inOrder(values[i - 1]!, values[i]!)).toBe(true);
  });

  it('pages with the cursor without repeating or losing a product, and refuses it for another search', async () => {
    const first = await search({ q: 'milk', sort: 'price_asc', limit: 10 });
    expect(first.nextCursor).not.toBeNull();
    const second = await search({ q: 'milk', sort: 'price_asc', limit: 10, cursor: first.nextCursor! });
    const both = [...first.items, ...second.items].map((i) => i.doc.id);
    expect(new Set(both).size).toBe(20);
    const all = await search({ q: 'milk', sort: 'price_asc', limit: 20 });
    expect(all.items.map((i) => i.doc.id)).toEqual(both);
    await expect(
      search({ q: 'curd', sort: 'price_asc', limit: 10, cursor: first.nextCursor! }),
    ).rejects.toThrow(/cursor/i);
  });

  it('keeps only products in stock at the store with inStock, and shows their availability', async () => {
    const storeId = '01JGD0000000000000000STORE';
    const milk = await search({ q: 'milk', limit: 100 });
    const inStock = new Set(milk.items.filter((_, i) => i % 3 === 0).map((i) => i.doc.id));
    const withStock: SearchDeps = {
      ...deps,
      stock: {
        linesFor: async (_store, ids) =>
          new Map(
            ids
              .filter((id) => inStock.has(id))
              .map((productId) => [
                productId,
                {
                  storeId,
                  productId,
                  available: 9,
                  reserved: 0,
                  version: 1,
                  updatedAt: '2026-01-01T00:00:00Z',
                },
              ]),
          ),
      },
    };
    const answer = await searchProducts(
      withStock,
      { q: 'milk', sort: 'relevance', limit: 10, inStock: true },
      { storeId },
    );
    expect(answer.items.length).toBeGreaterThan(0);
    for (const item of answer.items) {
      expect(inStock.has(item.doc.id)).toBe(true);
      expect(item.availability).toEqual({ storeId, status: 'in_stock' });
    }
    await expect(
      searchProducts(withStock, { q: 'milk', sort: 'relevance', limit: 10, inStock: true }, {}),
    ).rejects.toThrow(/store/i);
  });
});
