/**
 * How an order-like flow moves units on a stock line (published layout stock.ts): `reserve` takes sellable
 * units into `reserved` (only while `available` holds them), `release` gives them back, `sell` lets
 * reserved units leave with the rider (only while `reserved` holds them). Each is one conditional
 * transaction item, so neither count ever goes negative; the orders service (checkout, cancellation,
 * dispatch) and the exchanges service (replacements) move stock with exactly these.
 */
import { stockKey } from './stock';

export type StockMove = 'reserve' | 'release' | 'sell';

export function stockMoveUpdate(
  tableName: string,
  storeId: string,
  line: { readonly productId: string; readonly quantity: number },
  move: StockMove,
  now: string,
) {
  const set = {
    reserve: '#available = #available - :q, #reserved = if_not_exists(#reserved, :zero) + :q',
    release: '#available = #available + :q, #reserved = #reserved - :q',
    sell: '#reserved = #reserved - :q',
  }[move];
  return {
    Update: {
      TableName: tableName,
      Key: stockKey(storeId, line.productId),
      UpdateExpression: `SET ${set}, #version = #version + :one, #updatedAt = :now`,
      ConditionExpression:
        move === 'reserve'
          ? 'attribute_exists(#productId) AND #available >= :q'
          : 'attribute_exists(#productId) AND #reserved >= :q',
      ExpressionAttributeNames: {
        '#productId': 'productId',
        // A sale leaves `available` alone (and DynamoDB refuses unused names).
        ...(move === 'sell' ? {} : { '#available': 'available' }),
        '#reserved': 'reserved',
        '#version': 'version',
        '#updatedAt': 'updatedAt',
      },
      ExpressionAttributeValues: {
        ':q': line.quantity,
        ':one': 1,
        ':now': now,
        ...(move === 'reserve' ? { ':zero': 0 } : {}),
      },
    },
  };
}
