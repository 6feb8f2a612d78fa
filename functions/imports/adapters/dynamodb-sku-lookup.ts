/** SKU → product id from the catalogue's SKU guards (published layout: shared/published/product-sku.ts). */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PRODUCT_SKU_ATTRIBUTES, productSkuFromItem, productSkuKey } from '#shared/published/product-sku';
import type { SkuLookup } from '../ports';

/** Unprocessed keys are asked again this many times (DynamoDB hands them back under load). */
const MAX_ROUNDS = 8;

export class DynamoSkuLookup implements SkuLookup {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly backoff: (attempt: number) => Promise<void>,
  ) {}

  async productIds(skus: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    let keys: Record<string, unknown>[] = skus.map(productSkuKey);
    const names = Object.fromEntries(PRODUCT_SKU_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
    for (let round = 0; keys.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw new Error('The catalogue kept returning unprocessed SKU lookups');
      if (round > 0) await this.backoff(round);
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: {
              Keys: keys,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        const guard = productSkuFromItem(item);
        if (guard) found.set(guard.sku, guard.productId);
      }
      keys = (UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return found;
  }
}
