/**
 * The real app definition's stores, inventory, availability, cart and orders functions, synthesized: the tables
 * exist as declared, and every function is granted exactly the tables it reads or writes.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { app } from '../../lib/app/app';
import { synth, type Synthesized } from './fixtures/synth';

type Statement = { Action: string | string[]; Resource: unknown };

let prod: Synthesized;
beforeAll(() => {
  prod = synth('prod', app);
});

const READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Table logical name → DynamoDB actions granted on it, for the function with this logical name. */
function grants(fnName: string): Record<string, string[]> {
  const policies = prod.templates.api.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(`${fnName}RoleDefaultPolicy`));
  if (!entry) throw new Error(`No policy for ${fnName}`);
  const statements = (entry[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
  const result: Record<string, Set<string>> = {};
  for (const s of statements) {
    const actions = [s.Action].flat().filter((a) => a.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    const tables = [...JSON.stringify(s.Resource).matchAll(/FnGetAtt([A-Za-z]+?)[0-9A-F]{8}Arn/g)].map(
      (m) => m[1]!,
    );
    for (const t of tables) for (const a of actions) (result[t] ??= new Set()).add(a);
  }
  return Object.fromEntries(Object.entries(result).map(([t, a]) => [t, [...a].sort()]));
}

const readOnly = (actions: string[] = []) =>
  READS.every((a) => actions.includes(a)) && !WRITES.some((a) => actions.includes(a));
const writeOnly = (actions: string[] = []) =>
  WRITES.every((a) => actions.includes(a)) && !READS.some((a) => actions.includes(a));
const readWrite = (actions: string[] = []) => [...READS, ...WRITES].every((a) => actions.includes(a));

describe('stores, inventory and availability infrastructure', () => {
  it('declares the new tables with their keys, and TTL on the load counters', () => {
    const data = prod.templates.data;
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'storeId', KeyType: 'HASH' },
        { AttributeName: 'minute', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'storeId', KeyType: 'HASH' },
        { AttributeName: 'productId', KeyType: 'RANGE' },
      ],
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'line', KeyType: 'HASH' },
        { AttributeName: 'auditId', KeyType: 'RANGE' },
      ],
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.absent(),
    });
    expect(Object.keys(prod.data.tables)).toEqual(
      expect.arrayContaining(['Stores', 'StoreLoad', 'CustomerLocations', 'Inventory', 'InventoryAudit']),
    );
  });

  it('lets serviceability read only the stores (with their cell index) and the load counters', () => {
    const g = grants('GetServiceability');
    expect(Object.keys(g).sort()).toEqual(['StoreLoad', 'Stores']);
    expect(readOnly(g.Stores) && readOnly(g.StoreLoad)).toBe(true);
  });

  it('lets saving a location read what serviceability reads and only write the saved locations', () => {
    const g = grants('SaveMyLocation');
    expect(Object.keys(g).sort()).toEqual(['CustomerLocations', 'StoreLoad', 'Stores']);
    expect(readOnly(g.Stores) && readOnly(g.StoreLoad) && writeOnly(g.CustomerLocations)).toBe(true);
    expect(grants('GetMyLocation')).toEqual({ CustomerLocations: expect.any(Array) });
    expect(readOnly(grants('GetMyLocation').CustomerLocations)).toBe(true);
  });

  it('gives store admin functions the Stores table only, creation without reads', () => {
    expect(Object.keys(grants('CreateStore'))).toEqual(['Stores']);
    expect(writeOnly(grants('CreateStore').Stores)).toBe(true);
    expect(readWrite(grants('UpdateStore').Stores)).toBe(true);
    expect(readOnly(grants('ListStores').Stores)).toBe(true);
    expect(readOnly(grants('GetStore').Stores)).toBe(true);
  });

  it('lets inventory read the store (membership) and change stock and audit only where it writes', () => {
    const change = grants('ChangeStock');
    expect(Object.keys(change).sort()).toEqual(['Inventory', 'InventoryAudit', 'Stores']);
    expect(readOnly(change.Stores) && readWrite(change.Inventory) && writeOnly(change.InventoryAudit)).toBe(
      true,
    );
    for (const fn of ['GetStock', 'ListStock']) {
      const g = grants(fn);
      expect(Object.keys(g).sort()).toEqual(['Inventory', 'Stores']);
      expect(readOnly(g.Inventory) && readOnly(g.Stores)).toBe(true);
    }
  });

  it('lets the public product reads read stock and saved locations, and nothing else of other services', () => {
    for (const fn of ['GetProduct', 'ListCategoryProducts']) {
      const g = grants(fn);
      expect(Object.keys(g).sort()).toEqual(['Catalog', 'CustomerLocations', 'Inventory']);
      expect(Object.values(g).every((actions) => readOnly(actions))).toBe(true);
    }
    expect(Object.keys(grants('ListCategories'))).toEqual(['Catalog']);
  });
});

/** The SQS actions granted to a function, on any queue. */
function queueActions(fnName: string): string[] {
  const policies = prod.templates.api.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(`${fnName}RoleDefaultPolicy`));
  const statements = (
    entry?.[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } } | undefined
  )?.Properties.PolicyDocument.Statement;
  return (statements ?? []).flatMap((s) => [s.Action].flat().filter((a) => a.startsWith('sqs:')));
}

describe('cart and orders infrastructure', () => {
  it('declares Carts with its TTL and Orders with the listing indexes and the sparse expiry and outbox indexes', () => {
    const data = prod.templates.data;
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byExpiry',
          KeySchema: [
            { AttributeName: 'expiryShard', KeyType: 'HASH' },
            { AttributeName: 'reservationExpiresAtMs', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ]),
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'reservationExpiresAtMs', AttributeType: 'N' },
      ]),
    });
  });

  it('declares every listing and relay index of Orders', () => {
    const [orders] = Object.values(
      prod.templates.data.findResources('AWS::DynamoDB::Table', {
        Properties: { KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }] },
      }),
    ) as { Properties: { GlobalSecondaryIndexes: { IndexName: string }[] } }[];
    expect(orders!.Properties.GlobalSecondaryIndexes.map((i) => i.IndexName).sort()).toEqual([
      'byCustomer',
      'byExpiry',
      'byOutbox',
      'byStore',
      'byStoreStatus',
    ]);
  });

  it('lets checkout reserve stock with the order and the cart delete, and keep its idempotency records', () => {
    const g = grants('PlaceOrder');
    expect(Object.keys(g).sort()).toEqual(
      [
        'Carts',
        'Catalog',
        'CustomerLocations',
        'Idempotency',
        'Inventory',
        'Orders',
        'StoreLoad',
        'Stores',
      ].sort(),
    );
    expect(
      readWrite(g.Orders) && readWrite(g.Carts) && readWrite(g.Inventory) && readWrite(g.Idempotency),
    ).toBe(true);
    expect(readOnly(g.Catalog) && readOnly(g.CustomerLocations) && readOnly(g.Stores)).toBe(true);
    expect(writeOnly(g.StoreLoad)).toBe(true);
  });

  it('lets the sweeper touch orders and stock only: it may not read carts, stores or the catalogue', () => {
    const g = grants('SweepReservations');
    expect(Object.keys(g).sort()).toEqual(['Inventory', 'Orders']);
    expect(readWrite(g.Orders) && writeOnly(g.Inventory)).toBe(true);
  });

  it('runs the sweeper every minute from its own schedule', () => {
    prod.templates.api.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SweepReservations'), 'Arn'] },
      }),
    });
  });

  it('lets exactly the functions that make transitions send order events, and none receive them', () => {
    for (const fn of ['PlaceOrder', 'CancelOrder', 'ChangeOrderStatus', 'SweepReservations'])
      expect(queueActions(fn)).toContain('sqs:SendMessage');
    for (const fn of ['GetOrder', 'ListMyOrders', 'ListStoreOrders', 'GetCart', 'SetCartItem'])
      expect(queueActions(fn)).toEqual([]);
    for (const fn of ['PlaceOrder', 'SweepReservations'])
      expect(queueActions(fn)).not.toContain('sqs:ReceiveMessage');
  });

  it('gives the read functions read access only, and the cart functions no orders', () => {
    for (const fn of ['ListMyOrders', 'ListStoreOrders']) {
      const g = grants(fn);
      expect(Object.keys(g).sort()).toEqual(['Orders', 'Stores']);
      expect(readOnly(g.Orders) && readOnly(g.Stores)).toBe(true);
    }
    // An order shows its exchanges (read through the exchanges service's published layout).
    const order = grants('GetOrder');
    expect(Object.keys(order).sort()).toEqual(['Exchanges', 'Orders', 'Stores']);
    expect(readOnly(order.Orders) && readOnly(order.Stores) && readOnly(order.Exchanges)).toBe(true);
    expect(Object.keys(grants('GetCart')).sort()).toEqual([
      'Carts',
      'Catalog',
      'CustomerLocations',
      'Inventory',
    ]);
    expect(readOnly(grants('GetCart').Carts)).toBe(true);
    expect(Object.keys(grants('ClearCart'))).toEqual(['Carts']);
  });

  it('hands the stage settings to the functions that name them', () => {
    const [placeOrder] = Object.values(
      prod.templates.api.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('^Customer: checkout') },
      }),
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
    expect(placeOrder!.Properties.Environment.Variables).toMatchObject({
      RESERVATION_TTL_SECONDS: '600',
      FREE_DELIVERY_THRESHOLD_PAISE: '19900',
      DELIVERY_FEE_PAISE: '3000',
    });
  });
});
