/**
 * Checkout's retry loop over the use case with in-memory ports: a lost race is tried again, but never past
 * the request's time limit, where the answer is a retryable 409 `contention` with nothing placed.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { CheckoutDeps, PlaceOutcome } from '../../../functions/orders/ports';
import { placeOrder } from '../../../functions/orders/use-cases/checkout';

const NOW = new Date('2026-12-02T10:00:00Z');

function deps(outcomes: PlaceOutcome[]) {
  const placed: string[] = [];
  const d = {
    carts: {
      get: async (userId: string) => ({
        userId,
        lines: [{ productId: 'P1', quantity: 1, addedPricePaise: 100, addedAt: NOW.toISOString() }],
        version: 1,
        updatedAt: NOW.toISOString(),
        expiresAt: NOW.getTime() / 1000 + 3600,
      }),
    },
    products: {
      get: async () =>
        new Map([
          [
            'P1',
            { productId: 'P1', name: 'Milk', unit: '1 L', pricePaise: 100, isActive: true, maxPerOrder: 10 },
          ],
        ]),
    },
    locations: {
      get: async (userId: string) => ({
        userId,
        lat: 12.9,
        lng: 77.6,
        storeId: 'S1',
        updatedAt: NOW.toISOString(),
      }),
    },
    stores: { takesOrdersAt: async () => true },
    orders: {
      place: async (order: { orderId: string }) => {
        placed.push(order.orderId);
        return outcomes.shift() ?? { placed: false, reason: 'conflict' };
      },
      markPublished: async () => undefined,
    },
    publisher: { publish: async () => undefined },
    storeLoad: { increment: async () => undefined },
    cache: { invalidate: async () => undefined },
    settings: { reservationTtlSeconds: 600, freeDeliveryThresholdPaise: 19_900, deliveryFeePaise: 2_500 },
    now: () => NOW,
    newId: () => `O${placed.length + 1}`,
    backoff: async () => undefined,
    logger: new Logger({ logLevel: 'SILENT' }),
  } as unknown as CheckoutDeps;
  return { deps: d, placed };
}

describe('checkout retries', () => {
  it('tries lost races again within the time limit and places the order', async () => {
    const { deps: d, placed } = deps([
      { placed: false, reason: 'conflict' },
      { placed: false, reason: 'cart-changed' },
      { placed: true },
    ]);
    const order = await placeOrder(d, 'u1', {}, { retryUntil: NOW.getTime() + 60_000 });
    expect(order).toMatchObject({ orderId: 'O3', status: 'PENDING_PAYMENT', totalPaise: 2_600 });
    expect(placed).toHaveLength(3);
  });

  it('stops at the time limit with 409 contention after one attempt', async () => {
    const { deps: d, placed } = deps([]);
    await expect(placeOrder(d, 'u1', {}, { retryUntil: NOW.getTime() })).rejects.toMatchObject({
      status: 409,
      code: 'contention',
    });
    expect(placed).toHaveLength(1);
  });
});
