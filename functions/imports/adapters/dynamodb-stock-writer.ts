/**
 * Stock lines as an import writes them (published layouts: shared/published/stock.ts and stock-audit.ts):
 * one transaction per group of rows, each line conditional on the exact version it was read at (or on not
 * existing) and on no import with a greater sequence having set it, each with its audit record.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  IMPORT_ATTRIBUTES,
  importedStockFromItem,
  stockKey,
  type ImportedStockLine,
} from '#shared/published/stock';
import { stockAuditItem } from '#shared/published/stock-audit';
import type { StockWrite, StockWriteOutcome, StockWriter } from '../ports';

const MAX_ROUNDS = 8;

export class DynamoStockWriter implements StockWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly inventory: string; readonly audit: string },
    private readonly backoff: (attempt: number) => Promise<void>,
  ) {}

  async getLines(storeId: string, productIds: readonly string[]): Promise<Map<string, ImportedStockLine>> {
    const lines = new Map<string, ImportedStockLine>();
    for (let i = 0; i < productIds.length; i += 100) {
      let keys: Record<string, unknown>[] = productIds.slice(i, i + 100).map((p) => stockKey(storeId, p));
      for (let round = 0; keys.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw new Error('The Inventory table kept returning unprocessed keys');
        if (round > 0) await this.backoff(round);
        const { Responses, UnprocessedKeys } = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tables.inventory]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of Responses?.[this.tables.inventory] ?? []) {
          const line = importedStockFromItem(item);
          lines.set(line.productId, line);
        }
        keys =
          (UnprocessedKeys?.[this.tables.inventory]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return lines;
  }

  async write(writes: readonly StockWrite[]): Promise<StockWriteOutcome> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: writes.flatMap((w) => [
            { Update: this.lineUpdate(w) },
            {
              Put: {
                TableName: this.tables.audit,
                Item: stockAuditItem(w.audit),
                ConditionExpression: 'attribute_not_exists(#line)',
                ExpressionAttributeNames: { '#line': 'line' },
              },
            },
          ]),
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      // Throttled inside a transaction: the state machine's Retry backs off (see the ASL).
      if (reasons.some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded'))
        throw Object.assign(new Error('The Inventory table throttled the import'), {
          name: 'ProvisionedThroughputExceededException',
        });
      const stale = new Set<number>();
      reasons.forEach((r, i) => {
        if (r.Code === 'ConditionalCheckFailed') stale.add(Math.floor(i / 2));
      });
      return { written: false, stale: [...stale] };
    }
  }

  private lineUpdate(w: StockWrite) {
    const names = {
      '#available': 'available',
      '#reserved': 'reserved',
      '#version': 'version',
      '#updatedAt': 'updatedAt',
      '#sequence': IMPORT_ATTRIBUTES.sequence,
      '#importId': IMPORT_ATTRIBUTES.importId,
    };
    const values: Record<string, unknown> = {
      ':available': w.after.available,
      ':reserved': w.after.reserved,
      ':newVersion': w.after.version,
      ':now': w.after.updatedAt,
      ':sequence': w.sequence,
      ':importId': w.importId,
    };
    // An update, not a put: attributes other services keep on the line (reservations) stay as they are.
    const update =
      'SET #available = :available, #reserved = if_not_exists(#reserved, :reserved), #version = :newVersion, ' +
      '#updatedAt = :now, #sequence = :sequence, #importId = :importId';
    if (!w.before)
      return {
        TableName: this.tables.inventory,
        Key: stockKey(w.after.storeId, w.after.productId),
        UpdateExpression: update,
        ConditionExpression: 'attribute_not_exists(#version)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
    return {
      TableName: this.tables.inventory,
      Key: stockKey(w.after.storeId, w.after.productId),
      UpdateExpression: update,
      ConditionExpression:
        '#version = :version AND (attribute_not_exists(#sequence) OR #sequence < :sequence)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ':version': w.before.version },
    };
  }
}
