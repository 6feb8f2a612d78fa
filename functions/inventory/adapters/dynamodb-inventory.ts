/**
 * Inventory lines (published layout: functions/shared/published/stock.ts) and their audit trail on DynamoDB
 * (published layout: functions/shared/published/stock-audit.ts), written only in the transaction that
 * changes the line.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { stockFromItem, stockKey } from '#shared/published/stock';
import { stockAuditItem } from '#shared/published/stock-audit';
import type { AuditRecord, StockLine } from '../domain';
import type { InventoryRepository, StockPage, WriteOutcome } from '../ports';

/** An old image from a cancellation reason, whether the SDK handed it over marshalled or not (S and N only). */
function plain(image: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(image).map(([k, v]) => {
      const attr = v as { S?: string; N?: string } | null;
      if (attr && typeof attr === 'object' && typeof attr.N === 'string') return [k, Number(attr.N)];
      if (attr && typeof attr === 'object' && typeof attr.S === 'string') return [k, attr.S];
      return [k, v];
    }),
  );
}

export class DynamoInventoryRepository implements InventoryRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { readonly inventory: string; readonly audit: string },
  ) {}

  async getLine(storeId: string, productId: string): Promise<StockLine | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tables.inventory,
        Key: stockKey(storeId, productId),
        ConsistentRead: true,
      }),
    );
    return Item && stockFromItem(Item);
  }

  async listLines(
    storeId: string,
    page: { readonly limit: number; readonly after?: string },
  ): Promise<StockPage> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tables.inventory,
        KeyConditionExpression: 'storeId = :s',
        ExpressionAttributeValues: { ':s': storeId },
        ExclusiveStartKey: page.after ? stockKey(storeId, page.after) : undefined,
        Limit: page.limit + 1,
      }),
    );
    const lines = Items.map(stockFromItem);
    const items = lines.slice(0, page.limit);
    return { items, next: lines.length > page.limit ? items.at(-1)?.productId : undefined };
  }

  async writeChange(before: StockLine, after: StockLine, audit: AuditRecord): Promise<WriteOutcome> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              // An update, not a put: attributes other services add to the line (reservations) stay.
              Update: {
                TableName: this.tables.inventory,
                Key: stockKey(after.storeId, after.productId),
                UpdateExpression: 'SET #available = :newAvailable, #version = :newVersion, #updatedAt = :now',
                ConditionExpression:
                  '#version = :version AND #available = :available AND #reserved = :reserved',
                ExpressionAttributeNames: {
                  '#version': 'version',
                  '#available': 'available',
                  '#reserved': 'reserved',
                  '#updatedAt': 'updatedAt',
                },
                ExpressionAttributeValues: {
                  ':version': before.version,
                  ':available': before.available,
                  ':reserved': before.reserved,
                  ':newAvailable': after.available,
                  ':newVersion': after.version,
                  ':now': after.updatedAt,
                },
                // The line as it is now comes back with the cancellation: the retry needs no read.
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: this.tables.audit,
                Item: stockAuditItem(audit),
                ConditionExpression: 'attribute_not_exists(#line)',
                ExpressionAttributeNames: { '#line': 'line' },
              },
            },
          ],
        }),
      );
      return { written: true };
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') throw error;
      const [line] = (error as TransactionCanceledException).CancellationReasons ?? [];
      if (line?.Code !== 'ConditionalCheckFailed') return { written: false };
      return {
        written: false,
        current: line.Item ? stockFromItem(plain(line.Item as Record<string, unknown>)) : null,
      };
    }
  }
}
