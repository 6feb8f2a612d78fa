/**
 * The catalogue repository on DynamoDB. The item layout and its invariants are documented in ./items.ts;
 * this file holds the SDK calls. Every write is one TransactWriteItems whose condition expressions re-check
 * what the use case read, and a cancellation is mapped, reason by reason, to the domain error of the step
 * that failed (duplicate slug/SKU → 409, vanished category → 404, anything else changed → 409).
 */
import type { AttributeValue, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainError } from '#shared/errors';
import { catalogErrors, isTopLevel, type Category, type Product, type ProductPosition } from '../domain';
import type { CatalogRepository, ProductPage } from '../ports';
import {
  CATEGORY_PARTITION,
  INDEX,
  categoryFromItem,
  categoryItem,
  categoryListingKey,
  categorySlugGuard,
  keys,
  listingSortKey,
  productFromItem,
  productItem,
  productSkuGuard,
  productSlugGuard,
  topLevelListingKey,
  type Item,
  type Key,
} from './items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type OldImage = Record<string, AttributeValue> | undefined;

/** One write of a transaction and what it means when its condition fails (given the item as it was). */
export interface TransactionStep {
  readonly write: TransactItem;
  readonly onConditionFailed: (current: OldImage) => DomainError;
}

/** Maps a cancelled transaction to the domain error of its first failed condition; undefined if it is not one. */
export function cancellationError(
  error: unknown,
  steps: readonly TransactionStep[],
): DomainError | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  for (const [i, reason] of reasons.entries()) {
    const step = steps[i];
    if (reason.Code === 'ConditionalCheckFailed' && step) return step.onConditionFailed(reason.Item);
  }
  if (reasons.some((r) => r.Code === 'TransactionConflict')) return catalogErrors.concurrentChange();
  return undefined;
}

const CONFLICT_ATTEMPTS = 3;
const CONFLICT_BACKOFF_MS = 10;

/** A cancellation with no failed condition, only transaction conflicts: nothing was decided, try again. */
function onlyConflicts(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return false;
  const codes = ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
  return (
    codes.includes('TransactionConflict') && codes.every((c) => c === 'TransactionConflict' || c === 'None')
  );
}

/** A number attribute of an old image, whether the SDK handed it over marshalled or not. */
function numberIn(image: OldImage, name: string): number {
  const value = image?.[name] as unknown;
  if (typeof value === 'number') return value;
  const n = (value as { N?: string } | undefined)?.N;
  return n === undefined ? 0 : Number(n);
}

/** The condition of a write that must find the item still at the version it was read at. */
const atVersion = (read: { readonly version: number }) => ({
  ConditionExpression: '#version = :version',
  ExpressionAttributeNames: { '#version': 'version' },
  ExpressionAttributeValues: { ':version': read.version },
  // The old image tells a vanished item (404) from a changed one (409).
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
});

const productGoneOrChanged =
  (product: Product) =>
  (current: OldImage): DomainError =>
    current ? catalogErrors.concurrentChange() : catalogErrors.productNotFound(product.id);

interface CounterDeltas {
  readonly productCount?: number;
  readonly activeProductCount?: number;
  readonly childCount?: number;
}

export class DynamoCatalogRepository implements CatalogRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // --- reads -----------------------------------------------------------------------------------------------

  async listCategories(): Promise<Category[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': CATEGORY_PARTITION },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.map(categoryFromItem);
  }

  async getCategory(id: string): Promise<Category | undefined> {
    const item = await this.get(keys.category(id));
    return item && categoryFromItem(item);
  }

  async getProduct(id: string): Promise<Product | undefined> {
    const item = await this.get(keys.product(id));
    return item && productFromItem(item);
  }

  async listActiveProducts(
    category: Category,
    page: { readonly limit: number; readonly after?: ProductPosition },
  ): Promise<ProductPage> {
    const topLevel = isTopLevel(category);
    const index = topLevel ? INDEX.byTopLevelCategory : INDEX.byCategory;
    const partition = topLevel ? topLevelListingKey(category.id) : categoryListingKey(category.id);
    const startKey = page.after && {
      ...keys.product(page.after.id),
      [index.pk]: partition,
      [index.sk]: listingSortKey(page.after),
    };
    // One extra item tells whether another page follows, so the last page never comes with a cursor.
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.pk },
        ExpressionAttributeValues: { ':pk': partition },
        Limit: page.limit + 1,
        ExclusiveStartKey: startKey,
      }),
    );
    const items = result.Items ?? [];
    const positionOf = (item: Item): ProductPosition => {
      const sortKey = String(item[index.sk]);
      const at = sortKey.lastIndexOf('#');
      return { sortName: sortKey.slice(0, at), id: sortKey.slice(at + 1) };
    };
    if (items.length > page.limit) {
      const shown = items.slice(0, page.limit);
      return { items: shown.map(productFromItem), next: positionOf(shown[shown.length - 1]!) };
    }
    // Fewer items than asked but more data (the 1 MB page limit): continue after the last one.
    const last = items[items.length - 1];
    if (result.LastEvaluatedKey && last) return { items: items.map(productFromItem), next: positionOf(last) };
    return { items: items.map(productFromItem) };
  }

  // --- categories ------------------------------------------------------------------------------------------

  async createCategory(category: Category, parent?: Category): Promise<void> {
    const steps = [
      this.putNew(categoryItem(category), () => catalogErrors.concurrentChange()),
      this.putNew(categorySlugGuard(category), () => catalogErrors.categorySlugTaken(category.slug)),
    ];
    if (parent) steps.push(this.adoptChild(parent.id));
    await this.transact(steps);
  }

  async updateCategory(before: Category, after: Category): Promise<void> {
    const moved = before.parentId !== after.parentId;
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':version': before.version, ':nextVersion': after.version };
    const set = ['#version = :nextVersion'];
    const remove: string[] = [];
    for (const field of [
      'name',
      'slug',
      'description',
      'imageUrl',
      'sortOrder',
      'parentId',
      'updatedAt',
    ] as const) {
      names[`#${field}`] = field;
      if (after[field] === undefined) remove.push(`#${field}`);
      else {
        set.push(`#${field} = :${field}`);
        values[`:${field}`] = after[field];
      }
    }
    let condition = '#version = :version';
    if (moved) {
      // Checked at write time: a product or child added concurrently stops the move.
      condition += ' AND productCount = :zero AND childCount = :zero';
      values[':zero'] = 0;
    }
    const steps: TransactionStep[] = [
      {
        write: {
          Update: {
            TableName: this.tableName,
            Key: keys.category(before.id),
            UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        onConditionFailed: (current) => {
          if (!current) return catalogErrors.categoryNotFound(before.id);
          if (moved && numberIn(current, 'productCount') > 0)
            return catalogErrors.hasProductsCannotMove(before.id);
          if (moved && numberIn(current, 'childCount') > 0)
            return catalogErrors.hasChildrenCannotMove(before.id);
          return catalogErrors.concurrentChange();
        },
      },
    ];
    if (before.slug !== after.slug) {
      steps.push(this.deleteGuard(keys.categorySlug(before.slug), 'categoryId', before.id));
      steps.push(this.putNew(categorySlugGuard(after), () => catalogErrors.categorySlugTaken(after.slug)));
    }
    if (moved && before.parentId) steps.push(this.adjustCounters(before.parentId, { childCount: -1 }));
    if (moved && after.parentId) steps.push(this.adoptChild(after.parentId));
    await this.transact(steps);
  }

  async deleteCategory(category: Category): Promise<void> {
    const steps: TransactionStep[] = [
      {
        write: {
          Delete: {
            TableName: this.tableName,
            Key: keys.category(category.id),
            ConditionExpression: '#version = :version AND productCount = :zero AND childCount = :zero',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': category.version, ':zero': 0 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        onConditionFailed: (current) => {
          if (!current) return catalogErrors.categoryNotFound(category.id);
          if (numberIn(current, 'childCount') > 0) return catalogErrors.hasChildren(category.id);
          if (numberIn(current, 'productCount') > 0) return catalogErrors.hasProducts(category.id);
          return catalogErrors.concurrentChange();
        },
      },
      this.deleteGuard(keys.categorySlug(category.slug), 'categoryId', category.id),
    ];
    if (category.parentId) steps.push(this.adjustCounters(category.parentId, { childCount: -1 }));
    await this.transact(steps);
  }

  // --- products --------------------------------------------------------------------------------------------

  async createProduct(product: Product, category: Category): Promise<void> {
    await this.transact([
      this.putNew(productItem(product, category), () => catalogErrors.concurrentChange()),
      this.putNew(productSlugGuard(product), () => catalogErrors.productSlugTaken(product.slug)),
      this.putNew(productSkuGuard(product), () => catalogErrors.skuTaken(product.sku)),
      this.adjustCounters(
        category.id,
        { productCount: 1, activeProductCount: product.isActive ? 1 : 0 },
        { sameParentAs: category, field: 'categoryId' },
      ),
    ]);
  }

  async updateProduct(
    before: Product,
    after: Product,
    categories: { readonly before: Category; readonly after: Category },
  ): Promise<void> {
    const steps: TransactionStep[] = [
      {
        write: {
          Put: {
            TableName: this.tableName,
            Item: productItem(after, categories.after),
            ...atVersion(before),
          },
        },
        onConditionFailed: productGoneOrChanged(before),
      },
    ];
    if (before.slug !== after.slug) {
      steps.push(this.deleteGuard(keys.productSlug(before.slug), 'productId', before.id));
      steps.push(this.putNew(productSlugGuard(after), () => catalogErrors.productSlugTaken(after.slug)));
    }
    if (before.sku !== after.sku) {
      steps.push(this.deleteGuard(keys.productSku(before.sku), 'productId', before.id));
      steps.push(this.putNew(productSkuGuard(after), () => catalogErrors.skuTaken(after.sku)));
    }
    const active = (p: Product) => (p.isActive ? 1 : 0);
    if (before.categoryId !== after.categoryId) {
      steps.push(
        this.adjustCounters(before.categoryId, { productCount: -1, activeProductCount: -active(before) }),
        this.adjustCounters(
          after.categoryId,
          { productCount: 1, activeProductCount: active(after) },
          { sameParentAs: categories.after, field: 'categoryId' },
        ),
      );
    } else if (before.isActive !== after.isActive) {
      steps.push(
        this.adjustCounters(
          after.categoryId,
          { activeProductCount: active(after) - active(before) },
          { sameParentAs: categories.after, field: 'categoryId' },
        ),
      );
    }
    await this.transact(steps);
  }

  async deleteProduct(product: Product): Promise<void> {
    await this.transact([
      {
        write: {
          Delete: { TableName: this.tableName, Key: keys.product(product.id), ...atVersion(product) },
        },
        onConditionFailed: productGoneOrChanged(product),
      },
      this.deleteGuard(keys.productSlug(product.slug), 'productId', product.id),
      this.deleteGuard(keys.productSku(product.sku), 'productId', product.id),
      this.adjustCounters(product.categoryId, {
        productCount: -1,
        activeProductCount: product.isActive ? -1 : 0,
      }),
    ]);
  }

  // --- building blocks -------------------------------------------------------------------------------------

  private async get(key: Key): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /**
   * Runs the steps as one transaction. A cancellation caused only by another transaction in flight on the
   * same items (typically a category counter that concurrent creates all touch) wrote nothing and had no
   * condition fail, so it is tried again, a few times with jittered backoff, before it becomes a 409.
   */
  private async transact(steps: readonly TransactionStep[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: steps.map((s) => s.write) }));
        return;
      } catch (error) {
        if (attempt < CONFLICT_ATTEMPTS && onlyConflicts(error)) {
          await sleep(CONFLICT_BACKOFF_MS * 2 ** attempt * (0.5 + Math.random() / 2));
          continue;
        }
        throw cancellationError(error, steps) ?? error;
      }
    }
  }

  /** Puts an item that must not exist yet (a new entity, or a guard claiming a slug or SKU). */
  private putNew(item: Item, onConditionFailed: () => DomainError): TransactionStep {
    return {
      write: {
        Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
      },
      onConditionFailed,
    };
  }

  /** Releases a guard, only if it still belongs to `ownerId`. */
  private deleteGuard(key: Key, ownerAttribute: string, ownerId: string): TransactionStep {
    return {
      write: {
        Delete: {
          TableName: this.tableName,
          Key: key,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': ownerAttribute },
          ExpressionAttributeValues: { ':owner': ownerId },
        },
      },
      onConditionFailed: () => catalogErrors.concurrentChange(),
    };
  }

  /** Counts a new child in `parentId`, which must still exist and still be top-level. */
  private adoptChild(parentId: string): TransactionStep {
    return {
      write: {
        Update: {
          TableName: this.tableName,
          Key: keys.category(parentId),
          UpdateExpression: 'ADD childCount :one',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(parentId)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      onConditionFailed: (current) =>
        current ? catalogErrors.parentChanged() : catalogErrors.categoryNotFound(parentId, 'parentId'),
    };
  }

  /**
   * Adds to the counters of an existing category. With `sameParentAs`, the category must also still have
   * the parent it had when read, because the product's listing keys were derived from it.
   */
  private adjustCounters(
    categoryId: string,
    deltas: CounterDeltas,
    check?: { readonly sameParentAs: Category; readonly field: string },
  ): TransactionStep {
    const adds = Object.entries(deltas).filter(([, delta]) => delta !== 0);
    const values: Record<string, unknown> = Object.fromEntries(
      adds.map(([name, delta]) => [`:${name}`, delta]),
    );
    let condition = 'attribute_exists(pk)';
    if (check?.sameParentAs.parentId) {
      condition += ' AND parentId = :parentId';
      values[':parentId'] = check.sameParentAs.parentId;
    } else if (check) {
      condition += ' AND attribute_not_exists(parentId)';
    }
    const write: TransactItem =
      adds.length > 0
        ? {
            Update: {
              TableName: this.tableName,
              Key: keys.category(categoryId),
              UpdateExpression: `ADD ${adds.map(([name]) => `${name} :${name}`).join(', ')}`,
              ConditionExpression: condition,
              ExpressionAttributeValues: values,
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }
        : {
            ConditionCheck: {
              TableName: this.tableName,
              Key: keys.category(categoryId),
              ConditionExpression: condition,
              ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          };
    return {
      write,
      onConditionFailed: (current) =>
        !current && check
          ? catalogErrors.categoryNotFound(categoryId, check.field)
          : catalogErrors.concurrentChange(),
    };
  }
}
