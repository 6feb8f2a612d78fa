/**
 * Published part of the Catalog table's product item (ADR 9): written only by the catalogue service, read
 * by the cart (validation and the cart view) and by checkout (repricing; client prices are never trusted).
 *
 * Table `Catalog` (pk/sk): a product is `{pk: 'PRODUCT#<id>', sk: 'PRODUCT'}` with, among its other
 * attributes, `id`, `name`, `unit`, `pricePaise` (N, integer paise), `mrpPaise`, `currency` (`INR`),
 * `isActive` (BOOL) and optionally `maxPerOrder` (N, the most units one order may hold; absent = 10).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../aws/batch-get';

import { DEFAULT_MAX_PER_ORDER, productKey } from './catalog-items';

export { DEFAULT_MAX_PER_ORDER, productKey };

export interface ProductForSale {
  readonly productId: string;
  readonly name: string;
  readonly unit: string;
  readonly pricePaise: number;
  readonly isActive: boolean;
  readonly maxPerOrder: number;
}

/** The attributes a reader of products for sale needs (a ProjectionExpression). */
export const PRODUCT_FOR_SALE_ATTRIBUTES = [
  'id',
  'name',
  'unit',
  'pricePaise',
  'isActive',
  'maxPerOrder',
] as const;

export function productForSaleFromItem(item: Record<string, unknown>): ProductForSale {
  const max = item.maxPerOrder;
  return {
    productId: String(item.id),
    name: String(item.name),
    unit: String(item.unit),
    pricePaise: typeof item.pricePaise === 'number' ? item.pricePaise : 0,
    isActive: item.isActive === true,
    maxPerOrder: typeof max === 'number' && Number.isInteger(max) && max >= 1 ? max : DEFAULT_MAX_PER_ORDER,
  };
}

/** The products of `ids` that exist (active or not), by id: one BatchGetItem per 100, projected. */
export async function readProductsForSale(
  client: DynamoDBDocumentClient,
  tableName: string,
  ids: readonly string[],
): Promise<Map<string, ProductForSale>> {
  const items = await batchGetAll(client, tableName, [...new Set(ids)].map(productKey), {
    attributes: PRODUCT_FOR_SALE_ATTRIBUTES,
  });
  return new Map(items.map((item) => [String(item.id), productForSaleFromItem(item)]));
}
