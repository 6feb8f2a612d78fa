import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoCatalogRepository } from '../../../functions/catalog/adapters/dynamodb-repository';
import { productItem } from '../../../functions/catalog/adapters/items';
import { aCategory, aProduct } from './fakes';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-south-1' }));
const ddb = mockClient(documentClient);
const repository = new DynamoCatalogRepository(documentClient, 'catalog');

beforeEach(() => ddb.reset());

type Reason = { Code: string; Item?: Record<string, unknown> };
const cancelled = (...reasons: Reason[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: reasons as never,
  });
const ok: Reason = { Code: 'None' };
const failed = (Item?: Record<string, unknown>): Reason => ({
  Code: 'ConditionalCheckFailed',
  ...(Item ? { Item } : {}),
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: { status?: number; errors?: { field: string }[]; name: string }) => ({
      status: e.status,
      fields: (e.errors ?? []).map((x) => x.field),
      name: e.name,
    }),
  );

const transactItems = () => ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;

const top = aCategory({ id: '01JCAT00000000000000000TOP', slug: 'dairy' });
const sub = aCategory({ id: '01JCAT00000000000000000SUB', slug: 'milk', parentId: top.id });

describe('DynamoCatalogRepository: cancellation reasons → domain errors', () => {
  it('maps a taken category slug guard to 409 on slug', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, failed()));
    expect(await outcome(repository.createCategory(aCategory()))).toMatchObject({
      status: 409,
      fields: ['slug'],
    });
  });

  it('maps a vanished parent to 404 on parentId and a parent that is no longer top-level to 409', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, ok, failed()));
    expect(await outcome(repository.createCategory(sub, top))).toMatchObject({
      status: 404,
      fields: ['parentId'],
    });
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled(ok, ok, failed({ pk: { S: 'CATEGORY' }, parentId: { S: 'X' } })));
    expect(await outcome(repository.createCategory(sub, top))).toMatchObject({
      status: 409,
      fields: ['parentId'],
    });
  });

  it('maps taken product slug and SKU guards to 409 on the right field', async () => {
    const product = aProduct(sub.id);
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, failed(), ok, ok));
    expect(await outcome(repository.createProduct(product, sub))).toMatchObject({
      status: 409,
      fields: ['slug'],
    });
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, ok, failed(), ok));
    expect(await outcome(repository.createProduct(product, sub))).toMatchObject({
      status: 409,
      fields: ['sku'],
    });
  });

  it('maps a vanished category to 404 on categoryId, a moved one to 409', async () => {
    const product = aProduct(sub.id);
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, ok, ok, failed()));
    expect(await outcome(repository.createProduct(product, sub))).toMatchObject({
      status: 404,
      fields: ['categoryId'],
    });
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, ok, ok, failed({ pk: { S: 'CATEGORY' } })));
    expect(await outcome(repository.createProduct(product, sub))).toMatchObject({ status: 409 });
  });

  it('retries a transaction cancelled only by a conflict (e.g. two creates counting in one category)', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(ok, ok, ok, { Code: 'TransactionConflict' }))
      .rejectsOnce(cancelled(ok, ok, ok, { Code: 'TransactionConflict' }))
      .resolves({});
    expect(await outcome(repository.createProduct(aProduct(sub.id), sub))).toBe('resolved');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('maps a conflict that persists to 409 after a few attempts, and never retries a failed condition', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, { Code: 'TransactionConflict' }, ok, ok));
    expect(await outcome(repository.createProduct(aProduct(sub.id), sub))).toMatchObject({ status: 409 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(3);
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, failed(), { Code: 'TransactionConflict' }, ok));
    expect(await outcome(repository.createProduct(aProduct(sub.id), sub))).toMatchObject({
      status: 409,
      fields: ['slug'],
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('says why a delete of a category failed, from the old image', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled(failed({ productCount: { N: '2' }, childCount: { N: '0' } }), ok));
    const withProducts = await outcome(repository.deleteCategory(top));
    expect(withProducts).toMatchObject({ status: 409 });
    ddb.on(TransactWriteCommand).rejects(cancelled(failed(), ok));
    expect(await outcome(repository.deleteCategory(top))).toMatchObject({ status: 404 });
  });

  it('lets other errors through unchanged (a 500 upstream)', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded'));
    expect(await outcome(repository.createCategory(aCategory()))).toMatchObject({
      status: undefined,
      name: 'Error',
    });
    ddb.on(TransactWriteCommand).rejects(cancelled(ok, { Code: 'ThrottlingError' }));
    expect(await outcome(repository.createCategory(aCategory()))).toMatchObject({
      status: undefined,
      name: 'TransactionCanceledException',
    });
  });
});

describe('DynamoCatalogRepository: transactions', () => {
  it('creates a product with its slug and SKU guards and counts it, conditioned on the parent it was read with', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const product = aProduct(sub.id, { isActive: true });
    await repository.createProduct(product, sub);
    const [put, slug, sku, counter] = transactItems();
    expect(put?.Put?.Item).toMatchObject({
      pk: `PRODUCT#${product.id}`,
      gsi1pk: `CATEGORY#${sub.id}`,
      gsi2pk: `PARENT#${top.id}`,
    });
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(slug?.Put?.Item).toMatchObject({ pk: `PRODUCT_SLUG#${product.slug}`, productId: product.id });
    expect(sku?.Put?.Item).toMatchObject({ pk: `PRODUCT_SKU#${product.sku}`, productId: product.id });
    expect(counter?.Update).toMatchObject({
      Key: { pk: 'CATEGORY', sk: sub.id },
      UpdateExpression: 'ADD productCount :productCount, activeProductCount :activeProductCount',
      ConditionExpression: 'attribute_exists(pk) AND parentId = :parentId',
    });
  });

  it('moving a product to another category rewrites its listing keys and moves both counters in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const otherTop = aCategory({ id: '01JCAT0000000000000000TOP2' });
    const before = aProduct(sub.id);
    const after = { ...before, categoryId: otherTop.id, version: 2 };
    await repository.updateProduct(before, after, { before: sub, after: otherTop });
    const items = transactItems();
    expect(items).toHaveLength(3);
    expect(items[0]?.Put?.Item).toMatchObject({
      gsi1pk: `CATEGORY#${otherTop.id}`,
      gsi2pk: `PARENT#${otherTop.id}`,
    });
    expect(items[0]?.Put?.ConditionExpression).toBe('#version = :version');
    expect(items[1]?.Update?.ExpressionAttributeValues).toEqual({
      ':productCount': -1,
      ':activeProductCount': -1,
    });
    expect(items[2]?.Update?.ConditionExpression).toBe(
      'attribute_exists(pk) AND attribute_not_exists(parentId)',
    );
  });

  it('changing slug and SKU swaps both guards, releasing the old ones only if they are still ours', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const before = aProduct(sub.id);
    const after = { ...before, slug: 'new-slug', sku: 'NEW-SKU', version: 2 };
    await repository.updateProduct(before, after, { before: sub, after: sub });
    const items = transactItems();
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Delete', 'Put', 'Delete', 'Put']);
    expect(items[1]?.Delete).toMatchObject({
      Key: { pk: `PRODUCT_SLUG#${before.slug}`, sk: 'GUARD' },
      ExpressionAttributeValues: { ':owner': before.id },
    });
    expect(items[2]?.Put?.Item).toMatchObject({ pk: 'PRODUCT_SLUG#new-slug' });
    expect(items[4]?.Put?.Item).toMatchObject({ pk: 'PRODUCT_SKU#NEW-SKU' });
  });

  it('moving a category requires it to have no products and no children at write time', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const other = aCategory({ id: '01JCAT0000000000000000TOP3' });
    await repository.updateCategory(sub, { ...sub, parentId: other.id, version: 2 });
    const items = transactItems();
    expect(items[0]?.Update?.ConditionExpression).toBe(
      '#version = :version AND productCount = :zero AND childCount = :zero',
    );
    expect(items[1]?.Update).toMatchObject({
      Key: { sk: top.id },
      UpdateExpression: 'ADD childCount :childCount',
    });
    expect(items[2]?.Update).toMatchObject({
      Key: { sk: other.id },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(parentId)',
    });
  });

  it('an inactive product has no listing keys', () => {
    const item = productItem(aProduct(sub.id, { isActive: false }), sub);
    expect(item).not.toHaveProperty('gsi1pk');
    expect(item).not.toHaveProperty('gsi2pk');
  });
});

describe('DynamoCatalogRepository: listings', () => {
  it('queries gsi1 for a subcategory and gsi2 for a top-level category, one extra item to detect a next page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await repository.listActiveProducts(sub, { limit: 5 });
    await repository.listActiveProducts(top, {
      limit: 5,
      after: { sortName: 'milk', id: '01JPRD0000000000000000000A' },
    });
    const [first, second] = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      IndexName: 'gsi1',
      ExpressionAttributeValues: { ':pk': `CATEGORY#${sub.id}` },
      Limit: 6,
    });
    expect(second).toMatchObject({
      IndexName: 'gsi2',
      ExpressionAttributeValues: { ':pk': `PARENT#${top.id}` },
      ExclusiveStartKey: {
        pk: 'PRODUCT#01JPRD0000000000000000000A',
        sk: 'PRODUCT',
        gsi2pk: `PARENT#${top.id}`,
        gsi2sk: 'milk#01JPRD0000000000000000000A',
      },
    });
  });

  it('returns the position of the last item shown when there is more', async () => {
    const products = [1, 2, 3].map((n) => productItem(aProduct(sub.id, { name: `Item ${n}` }), sub));
    ddb.on(QueryCommand).resolves({ Items: products });
    const page = await repository.listActiveProducts(sub, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.next).toEqual({ sortName: 'item-2', id: products[1]!.id });
  });
});
