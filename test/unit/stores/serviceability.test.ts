import { ulid } from 'ulid';
import { createStore, updateStore } from '../../../functions/stores/use-cases/admin-stores';
import { checkServiceability, saveLocation } from '../../../functions/stores/use-cases/serviceability';
import { cellOf, coveringCells, MAX_CELLS } from '../../../functions/stores/domain/cells';
import { destination, distanceMetres, insidePolygon } from '../../../functions/stores/domain/geo';
import { isOpenAt, ROUND_THE_CLOCK } from '../../../functions/stores/domain/hours';
import { takesOrdersAt } from '../../../functions/shared/published/store-hours';
import { etaMinutes, travelMinutes } from '../../../functions/stores/domain/eta';
import { createStoreBody, type CreateStoreInput } from '../../../functions/stores/admin-contracts';
import { pointQuery, saveLocationBody } from '../../../functions/stores/contracts';
import type { OpeningHours } from '../../../functions/stores/domain/store';
import { FakeLoad, FakeLocations, FakeStoreRepository } from './fakes';

const KORAMANGALA = { lat: 12.9352, lng: 77.6245 };
const INDIRANAGAR = { lat: 12.9719, lng: 77.6412 };
const MERCHANT = '11111111-1111-4111-8111-111111111111';
// 2026-12-01 (a Tuesday) 12:00 in Bengaluru.
const NOON_IST = new Date('2026-12-01T06:30:00Z');

function setup(now = NOON_IST) {
  const stores = new FakeStoreRepository();
  const load = new FakeLoad();
  const locations = new FakeLocations();
  let clock = now;
  const deps = {
    stores,
    load,
    locations,
    now: () => clock,
    newId: () => ulid(),
    setNow: (d: Date) => (clock = d),
  };
  return deps;
}

const storeInput = (fields: Partial<CreateStoreInput> = {}): CreateStoreInput => ({
  name: 'Koramangala',
  location: KORAMANGALA,
  area: { type: 'radius', radiusMetres: 3000 },
  hours: ROUND_THE_CLOCK('Asia/Kolkata'),
  prepMinutes: 4,
  status: 'open',
  merchantId: MERCHANT,
  ...fields,
});

describe('serviceability', () => {
  it('serves a point inside a radius with the store, and an ETA of prep + travel', async () => {
    const deps = setup();
    const store = await createStore(deps, storeInput());
    const point = destination(KORAMANGALA, 1000, 0);
    const answer = await checkServiceability(deps, point);
    expect(answer).toEqual({
      serviceable: true,
      storeId: store.id,
      storeName: 'Koramangala',
      etaMinutes: Math.ceil(4 + travelMinutes(distanceMetres(KORAMANGALA, point))),
    });
  });

  it('does not serve a point just outside the radius, and says why', async () => {
    const deps = setup();
    await createStore(deps, storeInput());
    expect(await checkServiceability(deps, destination(KORAMANGALA, 3050, 1))).toEqual({
      serviceable: false,
      reason: 'outside_service_area',
    });
  });

  it('serves points just inside the boundary in every direction (the cell index covers the edge)', async () => {
    const deps = setup();
    await createStore(deps, storeInput());
    for (let i = 0; i < 72; i++) {
      const answer = await checkServiceability(deps, destination(KORAMANGALA, 2990, (i * Math.PI) / 36));
      expect(answer.serviceable).toBe(true);
    }
  });

  it('covers every point of a radius area with its cells (random sample)', async () => {
    const cells = new Set(await coveringCells({ type: 'radius', radiusMetres: 4000 }, INDIRANAGAR));
    expect(cells.size).toBeLessThanOrEqual(MAX_CELLS);
    for (let i = 0; i < 2000; i++) {
      const p = destination(INDIRANAGAR, Math.sqrt(Math.random()) * 4000, Math.random() * 2 * Math.PI);
      expect(cells.has(await cellOf(p))).toBe(true);
    }
  });

  it('picks the nearest of two overlapping open stores', async () => {
    const deps = setup();
    const a = await createStore(deps, storeInput({ name: 'Koramangala' }));
    const b = await createStore(
      deps,
      storeInput({
        name: 'Indiranagar',
        location: INDIRANAGAR,
        area: { type: 'radius', radiusMetres: 5000 },
      }),
    );
    const nearA = destination(KORAMANGALA, 1500, 0.3);
    const nearB = destination(INDIRANAGAR, 500, 3.5);
    expect(distanceMetres(nearB, KORAMANGALA)).toBeLessThan(5000);
    expect(await checkServiceability(deps, nearA)).toMatchObject({ storeId: a.id });
    expect(await checkServiceability(deps, nearB)).toMatchObject({ storeId: b.id });
  });

  it('skips a closed or paused store for the next nearest covering one, or says none is open', async () => {
    const deps = setup();
    const a = await createStore(deps, storeInput({ status: 'closed' }));
    const point = destination(KORAMANGALA, 200, 0);
    expect(await checkServiceability(deps, point)).toEqual({ serviceable: false, reason: 'no_store_open' });
    const b = await createStore(
      deps,
      storeInput({ name: 'Other', location: destination(KORAMANGALA, 1000, 0), status: 'paused' }),
    );
    expect(await checkServiceability(deps, point)).toEqual({ serviceable: false, reason: 'no_store_open' });
    await updateStore(deps, b.id, { status: 'open' });
    expect(await checkServiceability(deps, point)).toMatchObject({ serviceable: true, storeId: b.id });
    await updateStore(deps, a.id, { status: 'open' });
    expect(await checkServiceability(deps, point)).toMatchObject({ serviceable: true, storeId: a.id });
  });

  it('serves polygon areas by their exact shape', async () => {
    const deps = setup();
    // A triangle: the point south-west of the centre is outside, one north of it inside.
    const c = KORAMANGALA;
    const vertices = [destination(c, 2000, 0), destination(c, 2000, 2.2), destination(c, 2000, 4.1)];
    const store = await createStore(deps, storeInput({ area: { type: 'polygon', vertices } }));
    expect(await checkServiceability(deps, destination(c, 1000, 0.1))).toMatchObject({ storeId: store.id });
    const outside = destination(c, 1500, 5.3);
    expect(insidePolygon(outside, vertices)).toBe(false);
    expect(await checkServiceability(deps, outside)).toMatchObject({ serviceable: false });
  });

  it('adds the load of the last minutes to the ETA', async () => {
    const deps = setup();
    const store = await createStore(deps, storeInput());
    const point = destination(KORAMANGALA, 1000, 0);
    const quiet = await checkServiceability(deps, point);
    deps.load.counts.set(`${store.id}|2026-12-01T06:25`, 10);
    deps.load.counts.set(`${store.id}|2026-12-01T06:10`, 100); // outside the 10-minute window
    const busy = await checkServiceability(deps, point);
    expect(busy.serviceable && quiet.serviceable && busy.etaMinutes - quiet.etaMinutes).toBe(5);
  });

  it('saves a location with the store it resolves to, or without one when not serviceable', async () => {
    const deps = setup();
    const store = await createStore(deps, storeInput());
    const caller = { userId: 'u1', username: 'u1', roles: ['customer' as const] };
    await saveLocation(deps, caller, { lat: KORAMANGALA.lat, lng: KORAMANGALA.lng, label: 'Home' });
    expect(deps.locations.saved.get('u1')).toMatchObject({
      storeId: store.id,
      storeName: 'Koramangala',
      label: 'Home',
    });
    expect(await saveLocation(deps, caller, { lat: 19.0, lng: 72.7 })).toEqual({
      serviceable: false,
      reason: 'outside_service_area',
    });
    expect(deps.locations.saved.get('u1')?.storeId).toBeUndefined();
  });

  it('moves the index with the store: no cell of the old area points at it after a PATCH', async () => {
    const deps = setup();
    const store = await createStore(deps, storeInput());
    const moved = await updateStore(deps, store.id, {
      location: INDIRANAGAR,
      area: { type: 'radius', radiusMetres: 1000 },
    });
    const indexed = [...deps.stores.index]
      .filter(([, ids]) => ids.has(store.id))
      .map(([c]) => c)
      .sort();
    expect(indexed).toEqual([...moved.cells]);
    expect(await checkServiceability(deps, KORAMANGALA)).toMatchObject({ serviceable: false });
    expect(await checkServiceability(deps, INDIRANAGAR)).toMatchObject({ storeId: store.id });
  });
});

describe('opening hours', () => {
  const hours = (days: OpeningHours['days']): OpeningHours => ({ timeZone: 'Asia/Kolkata', days });
  // Tuesday 2026-12-01 in IST (UTC+5:30).
  const ist = (hhmm: string, day = '01') => new Date(`2026-12-${day}T${hhmm}:00+05:30`);

  it('takes orders (the published reading checkout uses) only when open by status and by the hours', () => {
    const h = hours({ tue: [{ open: '09:00', close: '21:00' }] });
    expect(takesOrdersAt({ status: 'open', hours: h }, ist('10:00'))).toBe(true);
    expect(takesOrdersAt({ status: 'open', hours: h }, ist('22:00'))).toBe(false);
    expect(takesOrdersAt({ status: 'paused', hours: h }, ist('10:00'))).toBe(false);
    expect(takesOrdersAt({ status: 'closed', hours: h }, ist('10:00'))).toBe(false);
    expect(takesOrdersAt({ status: 'open' }, ist('10:00'))).toBe(false);
    expect(takesOrdersAt(undefined, ist('10:00'))).toBe(false);
  });

  it('is open inside an interval and closed at its close time', () => {
    const h = hours({ tue: [{ open: '09:00', close: '21:00' }] });
    expect(isOpenAt(h, ist('09:00'))).toBe(true);
    expect(isOpenAt(h, ist('20:59'))).toBe(true);
    expect(isOpenAt(h, ist('21:00'))).toBe(false);
    expect(isOpenAt(h, ist('08:59'))).toBe(false);
  });

  it('runs an interval past midnight into the next day, in the store time zone', () => {
    const h = hours({ tue: [{ open: '22:00', close: '02:00' }] });
    expect(isOpenAt(h, ist('23:30'))).toBe(true);
    expect(isOpenAt(h, ist('01:59', '02'))).toBe(true); // Wednesday early morning
    expect(isOpenAt(h, ist('02:00', '02'))).toBe(false);
    expect(isOpenAt(h, ist('01:00'))).toBe(false); // Tuesday early morning: Monday had no late hours
    // 23:30 IST on Tuesday is 18:00 UTC Tuesday; in UTC terms nothing special happens at midnight.
    expect(isOpenAt(h, new Date('2026-12-01T18:00:00Z'))).toBe(true);
  });

  it('is closed on a day without hours and open round the clock with 00:00-24:00', () => {
    expect(isOpenAt(hours({ mon: [{ open: '00:00', close: '24:00' }] }), ist('12:00'))).toBe(false);
    expect(isOpenAt(ROUND_THE_CLOCK('Asia/Kolkata'), ist('23:59'))).toBe(true);
    expect(isOpenAt(ROUND_THE_CLOCK('Asia/Kolkata'), ist('00:00'))).toBe(true);
  });

  it('a store outside its opening hours does not serve', async () => {
    const deps = setup(ist('23:00'));
    await createStore(deps, storeInput({ hours: hours({ tue: [{ open: '07:00', close: '22:00' }] }) }));
    expect(await checkServiceability(deps, KORAMANGALA)).toEqual({
      serviceable: false,
      reason: 'no_store_open',
    });
  });
});

describe('ETA', () => {
  it('is prep + straight line × 1.4 at 20 km/h + half a minute per recent order, rounded up', () => {
    expect(etaMinutes({ prepMinutes: 4, distanceMetres: 2000, recentOrders: 0 })).toBe(Math.ceil(4 + 8.4));
    expect(etaMinutes({ prepMinutes: 4, distanceMetres: 0, recentOrders: 6 })).toBe(7);
    expect(etaMinutes({ prepMinutes: 4, distanceMetres: 0, recentOrders: 1000 })).toBe(24);
  });
});

describe('coordinates', () => {
  it.each([
    [{ lat: '12.9', lng: '77.6' }, true],
    [{ lat: '-90', lng: '180' }, true],
    [{ lat: '91', lng: '77.6' }, false],
    [{ lat: '12.9', lng: '-181' }, false],
    [{ lat: 'NaN', lng: '77.6' }, false],
    [{ lat: '1e2', lng: '77.6' }, false],
    [{ lat: 'abc', lng: '77.6' }, false],
    [{ lat: '12.9' }, false],
    [{}, false],
  ])('query %j parses: %s', (query, ok) => {
    expect(pointQuery().safeParse(query).success).toBe(ok);
  });

  it.each([
    [{ lat: 12.9, lng: 77.6 }, true],
    [{ lat: Number.NaN, lng: 77.6 }, false],
    [{ lat: '12.9', lng: 77.6 }, false],
    [{ lat: 12.9, lng: 200 }, false],
    [{ lng: 77.6 }, false],
  ])('body %j parses: %s', (body, ok) => {
    expect(saveLocationBody().safeParse(body).success).toBe(ok);
  });

  it('refuses an unknown time zone and an interval that opens and closes at once', () => {
    const base = { ...storeInput(), status: undefined };
    expect(
      createStoreBody().safeParse({ ...base, hours: { timeZone: 'Mars/Olympus', days: {} } }).success,
    ).toBe(false);
    expect(
      createStoreBody().safeParse({
        ...base,
        hours: { timeZone: 'Asia/Kolkata', days: { mon: [{ open: '10:00', close: '10:00' }] } },
      }).success,
    ).toBe(false);
    expect(createStoreBody().safeParse(base).success).toBe(true);
  });
});
