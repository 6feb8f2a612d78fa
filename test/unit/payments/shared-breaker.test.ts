/**
 * The shared breaker with an in-memory state store standing in for the Payments table: several breaker
 * objects (instances) share one stored state, written with a version condition.
 */
import { DynamoSharedBreaker } from '../../../functions/payments/adapters/shared-breaker';
import { BREAKER, BreakerOpenError, ProviderUnavailableError } from '../../../functions/payments/domain';
import type { BreakerStateStore } from '../../../functions/payments/ports';

function memoryStore(): BreakerStateStore & { writes: number; conflictNext: boolean } {
  let stored: { state: unknown; version: number } | undefined;
  const store = {
    writes: 0,
    conflictNext: false,
    read: async () => stored && { state: JSON.parse(JSON.stringify(stored.state)), version: stored.version },
    write: async (_p: string, state: unknown, version: number) => {
      if (store.conflictNext) {
        store.conflictNext = false;
        stored = { state: stored?.state ?? state, version: (stored?.version ?? 0) + 1 };
        return false;
      }
      if ((stored?.version ?? 0) !== version) return false;
      stored = { state: JSON.parse(JSON.stringify(state)), version: version + 1 };
      store.writes++;
      return true;
    },
  };
  return store;
}

const failing = () => Promise.reject(new ProviderUnavailableError('down'));

it('opens for every instance once enough calls failed in the window, and refuses without calling', async () => {
  let now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  const store = memoryStore();
  const a = new DynamoSharedBreaker(store, 'simulator', BREAKER, () => now);
  const b = new DynamoSharedBreaker(store, 'simulator', BREAKER, () => now);

  for (let i = 0; i < BREAKER.minimumCalls; i++) {
    now += 100;
    await expect((i % 2 ? a : b).execute(failing)).rejects.toBeInstanceOf(ProviderUnavailableError);
  }
  const called = jest.fn(async () => 'charged');
  await expect(b.execute(called)).rejects.toBeInstanceOf(BreakerOpenError);
  await expect(a.execute(called)).rejects.toBeInstanceOf(BreakerOpenError);
  expect(called).not.toHaveBeenCalled();
  expect(await a.summary()).toMatchObject({ breaker: 'open', failureRate: 1 });

  // After the break, one test call goes through; its success closes the breaker for everyone.
  now += BREAKER.halfOpenAfterMs + 1;
  expect(await a.summary()).toMatchObject({ breaker: 'half-open' });
  await expect(b.execute(called)).resolves.toBe('charged');
  expect(await a.summary()).toMatchObject({ breaker: 'closed' });
  await expect(a.execute(called)).resolves.toBe('charged');
  jest.restoreAllMocks();
});

it('stays closed while failures are below the threshold, and does not count declines or other errors', async () => {
  const store = memoryStore();
  const breaker = new DynamoSharedBreaker(store, 'simulator');
  for (let i = 0; i < 30; i++) {
    if (i % 3 === 0) await expect(breaker.execute(failing)).rejects.toBeInstanceOf(ProviderUnavailableError);
    else await breaker.execute(async () => ({ outcome: 'declined' }));
  }
  await expect(breaker.execute(() => Promise.reject(new TypeError('a bug')))).rejects.toBeInstanceOf(
    TypeError,
  );
  expect((await breaker.summary()).breaker).toBe('closed');
});

it('replays its sample into the fresh state when another instance wrote meanwhile', async () => {
  const store = memoryStore();
  const breaker = new DynamoSharedBreaker(store, 'simulator');
  await breaker.execute(async () => 'ok');
  store.conflictNext = true;

  await expect(breaker.execute(failing)).rejects.toBeInstanceOf(ProviderUnavailableError);

  expect(store.writes).toBe(2);
  expect((await breaker.summary()).failureRate).toBeGreaterThan(0);
});
