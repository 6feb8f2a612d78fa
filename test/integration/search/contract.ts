/**
 * The behavioural contract of the search port (functions/search/ports.ts), written once and run against both
 * adapters (issue 11, ADR 16): the local engine adapter against a real local engine
 * (contract-local-engine.test.ts) and the OpenSearch adapter against @short.io/opensearch-mock answering as
 * OpenSearch does (contract-opensearch.test.ts, opensearch-answers.ts). It covers what both honour: bulk
 * index and delete with per-document refusals and external versions, a search mapped to hits, total and
 * facets (and, through the search use case, pages by cursor), suggestions, the alias swap of a reindex, and
 * errors and timeouts surfacing as SearchUnavailableError (the use cases' signal to degrade).
 * Relevance on real text analysis (stemming, synonyms, typo ranking) is relevance.test.ts's.
 */
import { passThroughCache } from '../../../functions/shared/cache/port';
import type { SearchDocument, SearchQuery } from '../../../functions/search/domain';
import { SearchUnavailableError, type SearchEngine } from '../../../functions/search/ports';
import { searchProducts, type SearchDeps } from '../../../functions/search/use-cases/search';

export interface SearchContractDriver {
  /** Once before the suite (start an engine, say). */
  readonly start?: () => Promise<void>;
  /** Once after it. */
  readonly stop?: () => Promise<void>;
  /** An adapter over an empty, published `products` index of its own. */
  fresh(): Promise<SearchEngine>;
  /** An adapter whose engine is down (every request fails). */
  unavailable(): Promise<SearchEngine>;
  /** An adapter whose engine takes requests and never answers; `reached` settles once one arrived. */
  stalled(): Promise<{ readonly engine: SearchEngine; readonly reached: Promise<void> }>;
}

const C = {
  dairy: '01JGDC0000000000000000DA1R',
  butter: '01JGDC00000000000000BUTTER',
  milk: '01JGDC000000000000000M1LK0',
  curd: '01JGDC000000000000000CURD0',
  bakery: '01JGDC00000000000000BAKERY',
  staples: '01JGDC0000000000000STAPLE',
} as const;

const doc = (
  n: number,
  name: string,
  brand: string,
  [categoryId, root, path]: readonly [string, string, string],
  pricePaise: number,
  popularity: number,
): SearchDocument => ({
  id: `01JGDP00000000000000000${String(n).padStart(3, '0')}`,
  slug: name.toLowerCase().replace(/\s+/g, '-'),
  name,
  brand,
  categoryIds: [...new Set([categoryId, root])],
  categoryId,
  categoryPath: path,
  tags: [],
  unit: '1 pc',
  pricePaise,
  mrpPaise: pricePaise + 500,
  popularity,
  active: true,
  version: 1,
});

const dairy = (sub: string, name: string) => [sub, C.dairy, `Dairy > ${name}`] as const;
const butter = doc(1, 'Amul Butter', 'Amul', dairy(C.butter, 'Butter'), 28_500, 400);
const milk = doc(2, 'Amul Taaza Milk', 'Amul', dairy(C.milk, 'Milk'), 3_000, 900);
const curd = doc(3, 'Nandini Classic Curd', 'Nandini', dairy(C.curd, 'Curd'), 4_500, 700);
const bread = doc(4, 'Britannia Wheat Bread', 'Britannia', [C.bakery, C.bakery, 'Bakery'], 5_500, 300);
const salt = doc(5, 'Tata Salt', 'Tata', [C.staples, C.staples, 'Staples'], 2_800, 800);
const besan = doc(6, 'Fortune Besan', 'Fortune', [C.staples, C.staples, 'Staples'], 12_000, 200);
const ALL = [butter, milk, curd, bread, salt, besan];
const index = (...docs: SearchDocument[]) => docs.map((d) => ({ op: 'index' as const, doc: d }));

const query = (q: Partial<SearchQuery>): SearchQuery => ({
  text: '',
  sort: 'relevance',
  offset: 0,
  size: 20,
  ...q,
});
const ids = (hits: readonly SearchDocument[]) => hits.map((h) => h.id);

function useCaseDeps(engine: SearchEngine, degraded: string[] = []): SearchDeps {
  return {
    engine,
    cache: passThroughCache,
    catalog: { categories: async () => new Map(), fallback: async () => [] },
    stock: { linesFor: async () => new Map() },
    savedStores: { storeOf: async () => undefined },
    degraded: (source) => void degraded.push(source),
  };
}

export function describeSearchContract(name: string, driver: SearchContractDriver): void {
  describe(`the search port contract: ${name}`, () => {
    let engine: SearchEngine;

    beforeAll(async () => driver.start?.(), 30_000);
    afterAll(async () => driver.stop?.());
    beforeEach(async () => {
      engine = await driver.fresh();
    });

    describe('bulk', () => {
      it('indexes a batch and reports only the document the index refused', async () => {
        const refused = { ...salt, id: '01JGDP00000000000000000999', pricePaise: 'not a price' };
        const outcome = await engine.bulk([
          ...index(...ALL),
          { op: 'index', doc: refused as unknown as SearchDocument },
        ]);
        expect(outcome.failed.map((f) => f.id)).toEqual([refused.id]);
        expect(outcome.failed[0]!.reason).toEqual(expect.any(String));
        const result = await engine.search(query({ sort: 'popularity' }));
        expect(ids(result.hits)).toEqual(ids([milk, salt, curd, butter, bread, besan]));
        expect(result.total).toBe(6);
        expect(result.hits[0]).toEqual(milk);
      });

      it('deletes, keeps the highest version it saw, and counts a stale write as no failure', async () => {
        await engine.bulk(index(...ALL));
        expect(
          await engine.bulk([
            { op: 'delete', id: butter.id, version: 2 },
            { op: 'delete', id: '01JGDP00000000000000000404', version: 1 },
          ]),
        ).toEqual({ failed: [] });
        // The index operation the delete overtook arrives late: no failure, and it stays deleted.
        expect(await engine.bulk(index(butter))).toEqual({ failed: [] });
        expect(ids((await engine.search(query({ text: 'butter' }))).hits)).toEqual([]);
        // A newer version brings it back, changed.
        await engine.bulk(index({ ...butter, name: 'Amul Butter Garlic', version: 3 }));
        const back = await engine.search(query({ text: 'garlic' }));
        expect(back.hits).toEqual([{ ...butter, name: 'Amul Butter Garlic', version: 3 }]);
        // Re-indexing the same version with new content (a renamed category) is applied.
        await engine.bulk(index({ ...butter, categoryPath: 'Dairy > Makkhan', version: 3 }));
        expect(ids((await engine.search(query({ text: 'makkhan' }))).hits)).toEqual([butter.id]);
      });

      it('does nothing for an empty batch', async () => {
        expect(await engine.bulk([])).toEqual({ failed: [] });
      });
    });

    describe('search', () => {
      beforeEach(async () => {
        expect(await engine.bulk(index(...ALL))).toEqual({ failed: [] });
      });

      it('maps a text search to its hits, total and facets', async () => {
        const result = await engine.search(query({ text: 'amul' }));
        expect(new Set(ids(result.hits))).toEqual(new Set([butter.id, milk.id]));
        expect(result.total).toBe(2);
        expect(result.facets.brands).toEqual([{ value: 'Amul', count: 2 }]);
        expect([...result.facets.categories].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          [
            { id: C.butter, count: 1 },
            { id: C.milk, count: 1 },
          ].sort((a, b) => a.id.localeCompare(b.id)),
        );
        expect(result.facets.priceBands).toEqual([
          { fromPaise: 0, toPaise: 5_000, count: 1 },
          { fromPaise: 5_000, toPaise: 10_000, count: 0 },
          { fromPaise: 10_000, toPaise: 20_000, count: 0 },
          { fromPaise: 20_000, toPaise: 50_000, count: 1 },
          { fromPaise: 50_000, toPaise: null, count: 0 },
        ]);
      });

      it('needs every word, and matches words across name, brand and category', async () => {
        expect(ids((await engine.search(query({ text: 'amul milk' }))).hits)).toEqual([milk.id]);
        expect(ids((await engine.search(query({ text: 'nandini curd' }))).hits)).toEqual([curd.id]);
        expect(ids((await engine.search(query({ text: 'staples besan' }))).hits)).toEqual([besan.id]);
        const none = await engine.search(query({ text: 'amul bread' }));
        expect(none).toMatchObject({ hits: [], total: 0 });
      });

      it('finds a word typed with one letter wrong', async () => {
        expect(ids((await engine.search(query({ text: 'britania' }))).hits)).toEqual([bread.id]);
      });

      it('filters by a category and its children, a brand in any case, and a price range with its ends', async () => {
        const inDairy = await engine.search(query({ categoryId: C.dairy, sort: 'price_asc' }));
        expect(ids(inDairy.hits)).toEqual(ids([milk, curd, butter]));
        expect(ids((await engine.search(query({ categoryId: C.curd }))).hits)).toEqual([curd.id]);
        const amul = await engine.search(query({ brand: 'amul', sort: 'price_asc' }));
        expect(ids(amul.hits)).toEqual(ids([milk, butter]));
        expect(amul.facets.brands).toEqual([{ value: 'Amul', count: 2 }]);
        const priced = await engine.search(
          query({ minPricePaise: 3_000, maxPricePaise: 5_500, sort: 'price_asc' }),
        );
        expect(ids(priced.hits)).toEqual(ids([milk, curd, bread]));
        const both = await engine.search(query({ text: 'amul', maxPricePaise: 10_000 }));
        expect(ids(both.hits)).toEqual([milk.id]);
      });

      it('sorts by price both ways and by popularity, and pages by offset', async () => {
        const cheapest = [salt, milk, curd, bread, besan, butter];
        expect(ids((await engine.search(query({ sort: 'price_asc' }))).hits)).toEqual(ids(cheapest));
        expect(ids((await engine.search(query({ sort: 'price_desc' }))).hits)).toEqual(
          ids([...cheapest].reverse()),
        );
        expect(ids((await engine.search(query({ sort: 'popularity' }))).hits)).toEqual(
          ids([milk, salt, curd, butter, bread, besan]),
        );
        const page = await engine.search(query({ sort: 'price_asc', offset: 2, size: 2 }));
        expect(ids(page.hits)).toEqual(ids([curd, bread]));
        expect(page.total).toBe(6);
        const amulFirst = await engine.search(query({ text: 'amul', sort: 'price_desc' }));
        expect(ids(amulFirst.hits)).toEqual(ids([butter, milk]));
      });

      it('pages through the search use case by cursor, every hit once', async () => {
        const deps = useCaseDeps(engine);
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const answer = await searchProducts(
            deps,
            { categoryId: C.dairy, sort: 'price_desc', limit: 2, cursor },
            {},
          );
          expect(answer).toMatchObject({ total: 3, degraded: false });
          seen.push(...answer.items.map((i) => i.doc.id));
          cursor = answer.nextCursor ?? undefined;
          pages++;
        } while (cursor && pages < 5);
        expect(seen).toEqual(ids([butter, curd, milk]));
        expect(pages).toBe(2);
      });

      it('answers a word nothing has with no hits', async () => {
        expect(await engine.search(query({ text: 'zqxwvunknown' }))).toMatchObject({ hits: [], total: 0 });
      });
    });

    describe('suggest', () => {
      beforeEach(async () => {
        await engine.bulk(index(...ALL, { ...salt, id: '01JGDP00000000000000000555', version: 1 }));
      });

      it('suggests names that start with the words typed, each name once, at most `size`', async () => {
        expect((await engine.suggest('amul', 10)).sort()).toEqual(['Amul Butter', 'Amul Taaza Milk']);
        expect(await engine.suggest('amul taa', 10)).toEqual(['Amul Taaza Milk']);
        expect(await engine.suggest('brit', 10)).toEqual(['Britannia Wheat Bread']);
        expect(await engine.suggest('tata', 10)).toEqual(['Tata Salt']);
        expect(await engine.suggest('amul', 1)).toHaveLength(1);
        expect(await engine.suggest('zqxw', 10)).toEqual([]);
        expect(await engine.suggest('', 10)).toEqual([]);
      });
    });

    describe('reindex', () => {
      it('builds the next index while the alias serves the old one, then swaps it in one step', async () => {
        await engine.bulk(index(butter, milk, curd));
        const [old] = await engine.currentIndexes();
        expect(old).toEqual(expect.any(String));

        const next = await engine.beginIndex(`contract${Date.now()}`);
        expect(next).not.toBe(old);
        // The indexer writes to every index being written; the reindex fills only the new one.
        expect(await engine.bulk(index(bread))).toEqual({ failed: [] });
        expect(await engine.bulk(index(salt, besan), { index: next })).toEqual({ failed: [] });
        expect(await engine.currentIndexes()).toEqual([old]);
        const before = await engine.search(query({ sort: 'price_asc' }));
        expect(ids(before.hits)).toEqual(ids([milk, curd, bread, butter]));

        expect(await engine.publishIndex(next)).toEqual({ previous: [old] });
        expect(await engine.currentIndexes()).toEqual([next]);
        const after = await engine.search(query({ sort: 'price_asc' }));
        expect(ids(after.hits)).toEqual(ids([salt, bread, besan]));
        // The building alias is gone with the swap: writes go to the new index only.
        await engine.bulk(index(milk));
        expect(ids((await engine.search(query({ sort: 'price_asc' }))).hits)).toEqual(
          ids([salt, milk, bread, besan]),
        );
      });
    });

    describe('errors and timeouts', () => {
      it('reports an engine that is down as unavailable, and the use case degrades', async () => {
        const down = await driver.unavailable();
        await expect(down.search(query({ text: 'milk' }))).rejects.toBeInstanceOf(SearchUnavailableError);
        await expect(down.suggest('mil', 10)).rejects.toBeInstanceOf(SearchUnavailableError);
        await expect(down.bulk(index(milk))).rejects.toThrow();
        const degraded: string[] = [];
        const answer = await searchProducts(
          useCaseDeps(down, degraded),
          { q: 'milk', sort: 'relevance', limit: 5 },
          {},
        );
        expect(answer).toMatchObject({ degraded: true, items: [] });
        expect(degraded).toEqual(['dynamodb']);
      });

      it('gives up on a request that outlives its budget', async () => {
        const { engine: stalled, reached } = await driver.stalled();
        const budget = new AbortController();
        const pending = stalled.search(query({ text: 'milk' }), { signal: budget.signal });
        pending.catch(() => undefined);
        await reached;
        budget.abort();
        await expect(pending).rejects.toBeInstanceOf(SearchUnavailableError);

        const again = await driver.stalled();
        const typing = new AbortController();
        const suggestion = again.engine.suggest('mil', 10, { signal: typing.signal });
        suggestion.catch(() => undefined);
        await again.reached;
        typing.abort();
        await expect(suggestion).rejects.toBeInstanceOf(SearchUnavailableError);
      });
    });
  });
}
