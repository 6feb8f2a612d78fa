/**
 * Import records on DynamoDB. Table `InventoryImportRecords`: partition key `importId` (S); index `byStore`
 * (partition `storeId`, sort `importId`, projecting all) lists a store's imports newest first (ULIDs sort
 * by time). Every status change is conditional on the status it leaves, so the validator, a redelivered
 * event and the state machine can never move an import backwards.
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { NO_COUNTS, type ImportCounts, type ImportRecord, type ImportStatus, type RowError } from '../domain';
import type { ClaimOutcome, ClaimRequest, ImportPage, ImportRepository } from '../ports';

export const BY_STORE_INDEX = 'byStore';

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function importFromItem(item: Record<string, unknown>): ImportRecord {
  const counts = (item.counts ?? {}) as Record<string, unknown>;
  const opt = <K extends string>(key: K, value: string | number | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, never>>;
  return {
    importId: String(item.importId),
    storeId: String(item.storeId),
    merchantId: String(item.merchantId),
    objectKey: String(item.objectKey),
    status: String(item.status) as ImportStatus,
    counts: Object.fromEntries(
      (Object.keys(NO_COUNTS) as (keyof ImportCounts)[]).map((k) => [k, num(counts[k])]),
    ) as unknown as ImportCounts,
    errors: Array.isArray(item.errors) ? (item.errors as RowError[]) : [],
    createdAt: String(item.createdAt),
    ...opt('createdBy', str(item.createdBy)),
    ...opt('reason', str(item.reason)),
    ...opt('reportKey', str(item.reportKey)),
    ...opt('etag', str(item.etag)),
    ...opt('sequence', str(item.sequence)),
    ...opt('chunks', typeof item.chunks === 'number' ? item.chunks : undefined),
    ...opt('errorChunks', typeof item.errorChunks === 'number' ? item.errorChunks : undefined),
    ...opt('startedAt', str(item.startedAt)),
    ...opt('finishedAt', str(item.finishedAt)),
  } as ImportRecord;
}

export class DynamoImportRepository implements ImportRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ImportRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { entity: 'InventoryImport', ...record },
        ConditionExpression: 'attribute_not_exists(importId)',
      }),
    );
  }

  async get(importId: string): Promise<ImportRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { importId }, ConsistentRead: true }),
    );
    return Item && importFromItem(Item);
  }

  async listByStore(
    storeId: string,
    page: { readonly limit: number; readonly after?: string },
  ): Promise<ImportPage> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_STORE_INDEX,
        KeyConditionExpression: 'storeId = :s',
        ExpressionAttributeValues: { ':s': storeId },
        ExclusiveStartKey: page.after ? { storeId, importId: page.after } : undefined,
        ScanIndexForward: false,
        Limit: page.limit + 1,
      }),
    );
    const records = Items.map(importFromItem);
    const items = records.slice(0, page.limit);
    return { items, next: records.length > page.limit ? items.at(-1)?.importId : undefined };
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { importId: request.importId },
          // A direct drop creates the record; an upload URL's PENDING record gets its file.
          UpdateExpression:
            'SET #status = :validating, etag = :etag, #sequence = :sequence, startedAt = if_not_exists(startedAt, :now), ' +
            'storeId = if_not_exists(storeId, :storeId), merchantId = if_not_exists(merchantId, :merchantId), ' +
            'objectKey = if_not_exists(objectKey, :key), createdAt = if_not_exists(createdAt, :now), ' +
            'entity = :entity, counts = if_not_exists(counts, :counts), #errors = if_not_exists(#errors, :errors)',
          ConditionExpression:
            'attribute_not_exists(importId) OR (#status = :pending AND objectKey = :key) OR (#status = :validating AND etag = :etag)',
          ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence', '#errors': 'errors' },
          ExpressionAttributeValues: {
            ':validating': 'VALIDATING',
            ':pending': 'PENDING',
            ':etag': request.etag,
            ':sequence': request.sequence,
            ':now': request.now,
            ':storeId': request.storeId,
            ':merchantId': request.merchantId,
            ':key': request.objectKey,
            ':entity': 'InventoryImport',
            ':counts': NO_COUNTS,
            ':errors': [],
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, record: importFromItem(Attributes!) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const record = await this.get(request.importId);
      if (!record) throw error;
      return { claimed: false, record };
    }
  }

  async finishValidation(
    importId: string,
    etag: string,
    outcome: Parameters<ImportRepository['finishValidation']>[2],
  ): Promise<void> {
    const final = outcome.status === 'REJECTED';
    try {
      await this.update(importId, {
        set: {
          status: outcome.status,
          counts: outcome.counts,
          errors: outcome.errors,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          ...(outcome.chunks !== undefined ? { chunks: outcome.chunks } : {}),
          ...(outcome.errorChunks !== undefined ? { errorChunks: outcome.errorChunks } : {}),
          ...(final ? { finishedAt: outcome.now } : {}),
        },
        condition: '#status = :from AND etag = :etag',
        values: { ':from': 'VALIDATING', ':etag': etag },
      });
    } catch (error) {
      // A twin delivery of the same event validated the same file and got here first: same outcome.
      const now = isConditionFailure(error) ? await this.get(importId) : undefined;
      if (now?.etag !== etag || (now.status !== outcome.status && now.status === 'VALIDATING')) throw error;
    }
  }

  async complete(importId: string, outcome: Parameters<ImportRepository['complete']>[1]): Promise<void> {
    try {
      await this.update(importId, {
        set: {
          status: outcome.status,
          counts: outcome.counts,
          ...(outcome.reportKey ? { reportKey: outcome.reportKey } : {}),
          finishedAt: outcome.now,
        },
        condition: '#status = :from',
        values: { ':from': 'APPLYING' },
      });
    } catch (error) {
      // Completing twice (a retried Task) is done already; anything else is a real conflict.
      if (!isConditionFailure(error) || (await this.get(importId))?.status !== outcome.status) throw error;
    }
  }

  async fail(importId: string, reason: string, now: string): Promise<void> {
    try {
      await this.update(importId, {
        set: { status: 'FAILED', reason, finishedAt: now },
        condition: 'attribute_exists(importId) AND NOT #status IN (:s, :p, :r, :f)',
        values: { ':s': 'SUCCEEDED', ':p': 'PARTIALLY_APPLIED', ':r': 'REJECTED', ':f': 'FAILED' },
      });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async update(
    importId: string,
    request: { set: Record<string, unknown>; condition: string; values: Record<string, unknown> },
  ): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ...request.values };
    const sets = Object.entries(request.set).map(([k, v], i) => {
      names[`#a${i}`] = k;
      values[`:a${i}`] = v;
      return `#a${i} = :a${i}`;
    });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { importId },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: request.condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
