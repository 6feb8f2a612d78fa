/* eslint-disable @typescript-eslint/no-require-imports -- modules of this file's registry, after its env */
/**
 * Inventory imports write the lines they touched through the cache (WarmImportCache, on the real
 * redis-server of the Jest global setup): after an import, the product page's stock entry holds the new
 * line without anyone reading the Inventory table.
 */
import { stockCacheEntry } from '../../../functions/shared/published/stock';
import { testRedisUrl } from '../../support/engines';
import { lambdaContext } from '../../support/lambda';
import {
  catalogueSkus,
  clients,
  importIdOf,
  importRecord,
  merchantStore,
  startPipeline,
  stockLine,
  upload,
  uploadKeyFor,
  type Pipeline,
} from '../imports/helpers';

jest.setTimeout(60_000);
// Every cache call has a 50 ms budget and fails open beyond it, by design; on a loaded machine a call can
// miss it. Retried, never skipped: a warm step that never writes through fails every attempt.
jest.retryTimes(2, { logErrorsBeforeRetry: true });

let pipeline: Pipeline;
beforeAll(async () => {
  // WarmImportCache declares the cache: it gets the cache's variables (the others do not read them).
  Object.assign(process.env, { CACHE_ENDPOINT: testRedisUrl(), CACHE_TLS: 'false' });
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
  const { closeCacheConnections } =
    require('../../../functions/shared/cache/index') as typeof import('../../../functions/shared/cache/index');
  await closeCacheConnections();
  Object.values(clients).forEach((c) => c.destroy());
});

it('stores every imported line in the entry the product page reads', async () => {
  const { storeId, merchantId } = await merchantStore();
  const skus = [...(await catalogueSkus(3))];
  const key = uploadKeyFor(merchantId, storeId);
  const event = await upload(key, 'sku,quantity\n' + skus.map(([s], i) => `${s},${i + 1}`).join('\n'));
  await pipeline.validator(event, lambdaContext() as never);
  await pipeline.machine.settled();
  expect((await importRecord(importIdOf(key)))!.status).toBe('SUCCEEDED');

  const { cacheFromEnv } =
    require('../../../functions/shared/cache/index') as typeof import('../../../functions/shared/cache/index');
  const cache = cacheFromEnv();
  for (const [i, [, productId]] of skus.entries()) {
    const cached = await cache.getOrLoad(stockCacheEntry(storeId, productId), () =>
      Promise.reject(new Error('not in the cache')),
    );
    const { importSequence: _s, lastImportId: _i, ...line } = (await stockLine(storeId, productId))!;
    expect(cached).toEqual(line);
    expect(cached).toMatchObject({ available: i + 1 });
  }
});
