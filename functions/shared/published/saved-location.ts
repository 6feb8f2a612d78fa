/**
 * Published item layout of the CustomerLocations table (ADR 9): written only by the stores service
 * (`PUT /v1/me/location`), read by the catalogue (the caller's store for availability).
 *
 * Table `CustomerLocations`: partition key `userId` (S), one item per customer:
 * `{userId, lat, lng, label?, address?, storeId?, storeName?, updatedAt}`. `storeId` is the store the
 * location resolved to when it was saved (absent when it was not serviceable then).
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface SavedLocation {
  readonly userId: string;
  readonly lat: number;
  readonly lng: number;
  readonly label?: string;
  readonly address?: string;
  readonly storeId?: string;
  readonly storeName?: string;
  readonly updatedAt: string;
}

export const savedLocationKey = (userId: string) => ({ userId });

export const savedLocationItem = (l: SavedLocation): Record<string, unknown> =>
  Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined));

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const savedLocationFromItem = (item: Record<string, unknown>): SavedLocation => ({
  userId: String(item.userId),
  lat: Number(item.lat),
  lng: Number(item.lng),
  label: str(item.label),
  address: str(item.address),
  storeId: str(item.storeId),
  storeName: str(item.storeName),
  updatedAt: String(item.updatedAt),
});

/** The customer's saved location, if any (strongly consistent: checkout must see the latest save). */
export async function readSavedLocation(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<SavedLocation | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: savedLocationKey(userId), ConsistentRead: true }),
  );
  return Item && savedLocationFromItem(Item);
}
