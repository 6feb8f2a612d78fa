/**
 * Inventory lines (published layout: functions/shared/published/stock.ts) and their audit trail on DynamoDB.
 *
 * Table `InventoryAudit`: partition key `line` = `<storeId>#<productId>`, sort key `auditId` (a ULID, so
 * records sort by time): who (`userId`, `roles`), when (`at`), `before`, `after`, `change`, `reason`. Written
 * only in the transaction that changes the line.
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { stockFromItem, stockItem, stockKey } from '#shared/published/stock';
import type { AuditRecord, StockLine } from '../domain';
import type { InventoryRepository, StockPage } from '../ports';

export const auditLineKey = (storeId: string, productId: string) => `${storeId}#${productId}`;

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

  async writeChange(before: StockLine, after: StockLine, audit: AuditRecord): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tables.inventory,
                Item: stockItem(after),
                ConditionExpression:
                  '#version = :version AND #available = :available AND #reserved = :reserved',
                ExpressionAttributeNames: {
                  '#version': 'version',
                  '#available': 'available',
                  '#reserved': 'reserved',
                },
                ExpressionAttributeValues: {
                  ':version': before.version,
                  ':available': before.available,
                  ':reserved': before.reserved,
                },
              },
            },
            {
              Put: {
                TableName: this.tables.audit,
                Item: { line: auditLineKey(audit.storeId, audit.productId), entity: 'StockAudit', ...audit },
                ConditionExpression: 'attribute_not_exists(#line)',
                ExpressionAttributeNames: { '#line': 'line' },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'TransactionCanceledException') return false;
      throw error;
    }
  }
}
