import { cartView, deliveryFee, withLine } from '../../../functions/cart/domain';
import type { ProductForSale } from '../../../functions/shared/published/product';
import type { StockLine } from '../../../functions/shared/published/stock';

const settings = { freeDeliveryThresholdPaise: 19_900, deliveryFeePaise: 3_000 };
const product = (id: string, pricePaise: number, extra: Partial<ProductForSale> = {}): ProductForSale => ({
  productId: id,
  name: id,
  unit: '1 kg',
  pricePaise,
  isActive: true,
  maxPerOrder: 10,
  ...extra,
});
const line = (productId: string, available: number): StockLine => ({
  storeId: 'S',
  productId,
  available,
  reserved: 0,
  version: 1,
  updatedAt: '',
});
const at = '2026-12-02T00:00:00.000Z';

describe('the delivery fee', () => {
  it('is free for an empty cart and from the threshold on, and charged below it', () => {
    expect(deliveryFee(0, settings)).toBe(0);
    expect(deliveryFee(19_899, settings)).toBe(3_000);
    expect(deliveryFee(19_900, settings)).toBe(0);
  });
});

describe('putting a line', () => {
  it('replaces an existing line in place, appends a new one, and refuses above the maximum or a 51st', () => {
    const a = product('A', 100, { maxPerOrder: 2 });
    const lines = withLine(withLine([], a, 1, at), product('B', 200), 1, at);
    expect(withLine(lines, a, 2, at).map((l) => [l.productId, l.quantity])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(() => withLine(lines, a, 3, at)).toThrow(/At most 2/);
    const full = Array.from({ length: 50 }, (_, i) => ({
      productId: `P${i}`,
      quantity: 1,
      addedPricePaise: 1,
      addedAt: at,
    }));
    expect(() => withLine(full, product('X', 1), 1, at)).toThrow(/at most 50/);
  });
});

describe('the cart view', () => {
  it('prices lines now, flags price changes, short and missing stock, and leaves unavailable products out of the totals', () => {
    const cart = {
      userId: 'u',
      version: 3,
      updatedAt: at,
      expiresAt: 1_800_000_000,
      lines: [
        { productId: 'A', quantity: 2, addedPricePaise: 4_000, addedAt: at },
        { productId: 'B', quantity: 3, addedPricePaise: 1_000, addedAt: at },
        { productId: 'C', quantity: 1, addedPricePaise: 500, addedAt: at },
        { productId: 'D', quantity: 1, addedPricePaise: 500, addedAt: at },
      ],
    };
    const products = new Map([
      ['A', product('A', 4_500)],
      ['B', product('B', 1_000)],
      ['C', product('C', 500)],
      ['D', product('D', 500, { isActive: false })],
    ]);
    const view = cartView(
      cart,
      products,
      'S',
      new Map([
        ['A', line('A', 9)],
        ['B', line('B', 2)],
      ]),
      settings,
    );
    expect(view.lines.map((l) => [l.productId, l.stock, l.priceChanged, l.linePaise])).toEqual([
      ['A', 'available', true, 9_000],
      ['B', 'short', false, 3_000],
      ['C', 'out_of_stock', false, 500],
      ['D', 'unavailable', false, 0],
    ]);
    expect(view).toMatchObject({
      subtotalPaise: 12_500,
      deliveryFeePaise: 3_000,
      totalPaise: 15_500,
      itemCount: 6,
    });
  });

  it('says stock is unknown without a store', () => {
    const cart = {
      userId: 'u',
      version: 1,
      updatedAt: at,
      expiresAt: 1,
      lines: [{ productId: 'A', quantity: 1, addedPricePaise: 1, addedAt: at }],
    };
    const view = cartView(cart, new Map([['A', product('A', 1)]]), undefined, new Map(), settings);
    expect(view.storeId).toBeNull();
    expect(view.lines[0]).toMatchObject({ stock: 'unknown', available: null });
  });
});
