import { checkStreams } from '../../../lib/app/streams';
import type { AppDef, FunctionDef } from '../../../lib/app/types';
import { editsFor, normaliseQuery, synonymsIn } from '../../../functions/search/domain';
import { oramaSearchParams, withOneWordSynonyms } from '../../../functions/search/adapters/local-engine';
import { searchBody } from '../../../functions/search/adapters/opensearch';

describe('query normalisation', () => {
  it.each([
    ['  Amul   BUTTER ', 'amul butter'],
    ['name:milk OR (paneer)^3 ~2 "dahi"*', 'name milk or paneer 3 2 dahi'],
    ['{"match_all":{}}', 'match all'],
    ['<script>alert(1)</script>', 'script alert 1 script'],
    ['Crème Fraîche', 'crème fraîche'],
    ['', ''],
  ])('turns %j into words only: %j', (raw, expected) => {
    expect(normaliseQuery(raw)).toBe(expected);
  });

  it('keeps at most 100 characters and 10 words', () => {
    expect(normaliseQuery('a'.repeat(150))).toHaveLength(100);
    expect(normaliseQuery('w '.repeat(20)).split(' ')).toHaveLength(10);
  });

  it('never lets user text reach OpenSearch as anything but match values', () => {
    const body = JSON.stringify(
      searchBody({ text: normaliseQuery('a:b OR c*'), sort: 'relevance', offset: 0, size: 5 }),
    );
    expect(body).not.toMatch(/"(query_string|simple_query_string|regexp|wildcard|script)"/);
  });
});

describe('typo tolerance', () => {
  it.each([
    ['ab', 0],
    ['dal', 1],
    ['paneer', 2],
    ['atta', 1],
    ['chocolate', 2],
  ])('allows %s %i edit(s)', (word, edits) => expect(editsFor(word)).toBe(edits));

  it('asks Orama for the edits of the shortest word', () => {
    expect(oramaSearchParams({ text: 'amul butter', sort: 'relevance', offset: 0, size: 5 }).tolerance).toBe(
      1,
    );
  });
});

describe('synonyms', () => {
  it('names the other names of what a text mentions, phrases included', () => {
    expect(synonymsIn('Fresh Lady Finger')).toEqual(expect.arrayContaining(['bhindi', 'okra']));
    expect(synonymsIn('Amul Masti Dahi')).toEqual(expect.arrayContaining(['curd']));
    expect(synonymsIn('Tata Salt')).toEqual([]);
  });

  it('maps multi-word synonyms in a query to one word for the local engine', () => {
    expect(withOneWordSynonyms('amul cottage cheese')).toBe('amul paneer');
    expect(withOneWordSynonyms('gram flour 1 kg')).toBe('besan 1 kg');
  });
});

describe('checkStreams', () => {
  const indexer = (trigger: Partial<Extract<FunctionDef['trigger'], { kind: 'stream' }>>): FunctionDef => ({
    name: 'Indexer',
    service: 'search',
    entry: 'x.ts',
    description: 'x',
    trigger: { kind: 'stream', table: 'Catalog', onFailure: 'Failures', ...trigger },
  });
  const def = (fn: FunctionDef, stream = true): Pick<AppDef, 'tables' | 'queues' | 'functions'> => ({
    tables: [
      {
        name: 'Catalog',
        description: 'x',
        partitionKey: { name: 'pk', type: 'S' },
        ...(stream ? { stream: 'NEW_AND_OLD_IMAGES' as const } : {}),
      },
    ],
    queues: [{ name: 'Failures', description: 'x' }],
    functions: [fn],
  });

  it('accepts a stream trigger on a streaming table with a known on-failure queue', () => {
    expect(() => checkStreams(def(indexer({ batchSize: 500, maxBatchingWindowSeconds: 1 })))).not.toThrow();
  });

  it.each([
    ['a table without a stream', def(indexer({}), false), /declares no stream/],
    ['an unknown table', def(indexer({ table: 'Nope' })), /unknown table/],
    ['an unknown on-failure queue', def(indexer({ onFailure: 'Nope' })), /unknown queue/],
    ['a batch over 100 without a window', def(indexer({ batchSize: 500 })), /batchSize/],
    ['negative retries', def(indexer({ retryAttempts: -1 })), /retryAttempts/],
  ])('refuses %s', (_what, definition, message) => {
    expect(() => checkStreams(definition)).toThrow(message);
  });
});
