/**
 * `npm run search:reindex`: rebuilds the product search index from the Catalog table into a new versioned
 * index and swaps the `products` alias to it, with no downtime (functions/search/use-cases/reindex.ts).
 *
 * - Locally (no flags): against the running `npm start` platform, from `.local/data/state.json`.
 * - A deployed stage: `npm run search:reindex -- --endpoint https://<SearchEndpoint> --table <CatalogTableName>`
 *   with credentials in the environment (e.g. `eval "$(aws configure export-credentials --format env)"`) that
 *   may scan the table and call es:ESHttp* on the domain; requests are SigV4-signed like the functions'.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalSearchEngine } from '../functions/search/adapters/local-engine';
import { OpenSearchEngine, openSearchClient } from '../functions/search/adapters/opensearch';
import type { SearchEngine } from '../functions/search/ports';
import { localDynamoDb } from './engines/clients';
import type { LocalResources } from './engines/types';
import { rebuildSearchIndex } from './search-index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string', default: process.env.AWS_REGION ?? 'ap-south-1' },
      'data-dir': { type: 'string', default: join(process.cwd(), '.local', 'data') },
      replicas: { type: 'string', default: '1' },
    },
  });
  let engine: SearchEngine;
  let dynamodb: DynamoDBClient;
  let table: string;
  if (values.endpoint || values.table) {
    if (!values.endpoint || !values.table) throw new Error('--endpoint and --table go together');
    engine = new OpenSearchEngine(openSearchClient(values.endpoint, values.region), {
      replicas: Number(values.replicas),
    });
    dynamodb = new DynamoDBClient({ region: values.region });
    table = values.table;
  } else {
    const state = JSON.parse(
      await readFile(join(values['data-dir'], 'state.json'), 'utf8').catch(() => {
        throw new Error(`No local platform state in ${values['data-dir']}: start it with npm start first`);
      }),
    ) as LocalResources;
    if (!state.search) throw new Error('The local platform has no search engine');
    engine = new LocalSearchEngine(state.search.endpoint);
    dynamodb = localDynamoDb(state.endpoints.dynamodb);
    table = state.tableNames.Catalog!;
  }
  const result = await rebuildSearchIndex({
    dynamodb,
    catalogTable: table,
    engine,
    onProgress: (n) => process.stdout.write(`\rindexed ${n}`),
  });
  process.stdout.write(
    `\n${result.indexed} products indexed into ${result.index} in ${result.tookMs} ms (${result.skipped} inactive skipped); ` +
      `alias moved from ${result.previous.join(', ') || 'nothing'}\n`,
  );
  dynamodb.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
