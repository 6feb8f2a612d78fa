/**
 * Search engine: the local stand-in for Amazon OpenSearch Service (no OpenSearch server runs offline here):
 * Orama indexes served over HTTP by search-engine.mjs in a child process, in memory (the platform rebuilds
 * the index from DynamoDB at start). Functions that declare `search` reach it through SEARCH_ENDPOINT with
 * SEARCH_ENGINE=local (functions/search/adapters/local-engine.ts).
 */
import { join } from 'node:path';
import { HOST, freePort, spawnEngine, waitUntilReady, type StartedEngine } from './process';

export interface SearchEngineOptions {
  readonly port?: number;
  readonly timeoutMs?: number;
}

export async function startSearchEngine(opts: SearchEngineOptions = {}): Promise<StartedEngine> {
  const port = opts.port ?? (await freePort());
  const engine = spawnEngine({
    name: 'search',
    command: process.execPath,
    args: [join(__dirname, 'search-engine.mjs')],
    env: { ...process.env, SEARCH_PORT: String(port) },
    ipc: true,
  });
  let ready = false;
  engine.child.on('message', (message: { ready?: string }) => {
    if (message.ready) ready = true;
  });
  try {
    await waitUntilReady(engine, async () => ready, { timeoutMs: opts.timeoutMs ?? 15_000, intervalMs: 50 });
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return { endpoint: `http://${HOST}:${port}`, stop: () => engine.stop() };
}
