/**
 * The write paths an import could take, side by side on one DynamoDB Local (ADR 15, "Throughput"):
 * `npx tsx bench/import-write-paths.ts [rows=10000]`. Each path writes `rows` stock lines (and, where
 * it says so, one audit record per line) into fresh keys; rows/s per path, two rounds (the JVM warms).
 * Not part of npm run bench: it measured the decision, it does not guard a goal.
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { localDynamoDb } from '../local/engines/clients';
import { startDynamoDb } from '../local/engines/dynamodb';

const N = Number(process.argv[2] ?? 10_000);

async function pool<T>(items: readonly T[], n: number, f: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await f(items[i++]!);
    }),
  );
}
const chunks = <T>(a: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(a.length / n) }, (_, i) => a.slice(i * n, i * n + n));

async function main(): Promise<void> {
  const engine = await startDynamoDb({});
  const raw = localDynamoDb(engine.endpoint);
  const doc = DynamoDBDocumentClient.from(raw);
  for (const [t, pk, sk] of [
    ['inv', 'storeId', 'productId'],
    ['audit', 'line', 'auditId'],
  ] as const)
    await raw.send(
      new CreateTableCommand({
        TableName: t,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: pk, AttributeType: 'S' },
          { AttributeName: sk, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: pk, KeyType: 'HASH' },
          { AttributeName: sk, KeyType: 'RANGE' },
        ],
      }),
    );
  const line = (s: string, p: string) => ({
    storeId: s,
    productId: p,
    available: 5,
    reserved: 0,
    version: 1,
    updatedAt: new Date().toISOString(),
    importSequence: '2026#x',
    lastImportId: 'x',
  });
  const audit = (s: string, p: string) => ({
    line: `${s}#${p}`,
    auditId: 'x',
    entity: 'StockAudit',
    storeId: s,
    productId: p,
    userId: 'm',
    roles: ['merchant'],
    at: new Date().toISOString(),
    reason: 'Inventory import x (line 1)',
    change: { set: 5 },
    after: { available: 5, reserved: 0, version: 1 },
    importId: 'x',
  });
  const bw = async (table: string, items: Record<string, unknown>[]) => {
    let pending: Record<string, unknown[]> = { [table]: items.map((Item) => ({ PutRequest: { Item } })) };
    while (Object.keys(pending).length > 0) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = (out.UnprocessedItems ?? {}) as typeof pending;
    }
  };
  // The import's line update: absolute level, ordered by import sequence.
  const update = (s: string, p: string) => ({
    TableName: 'inv',
    Key: { storeId: s, productId: p },
    UpdateExpression:
      'SET available = :a, reserved = if_not_exists(reserved, :z), updatedAt = :n, importSequence = :s, lastImportId = :i ADD version :one',
    ConditionExpression: 'attribute_not_exists(importSequence) OR importSequence < :s',
    ExpressionAttributeValues: { ':a': 7, ':z': 0, ':n': 'now', ':s': '2027#y', ':i': 'y', ':one': 1 },
  });
  const read = (s: string, ps: string[]) =>
    doc.send(
      new BatchGetCommand({
        RequestItems: { inv: { Keys: ps.map((p) => ({ storeId: s, productId: p })), ConsistentRead: true } },
      }),
    );
  const products = Array.from({ length: N }, () => ulid());
  await pool(chunks(products, 25), 16, (c) =>
    bw(
      'inv',
      c.map((p) => line('warm-up', p)),
    ),
  );
  const time = async (label: string, f: (store: string) => Promise<void>) => {
    const t = performance.now();
    await f(ulid());
    const ms = performance.now() - t;
    console.log(`${label}: ${(ms / 1000).toFixed(1)} s, ${((N / ms) * 1000).toFixed(0)} rows/s`);
  };
  for (let round = 1; round <= 2; round++) {
    console.log(`round ${round}`);
    await time('raw BatchWriteItem of lines, 25 per request, 16 in flight', (s) =>
      pool(chunks(products, 25), 16, (c) =>
        bw(
          'inv',
          c.map((p) => line(s, p)),
        ),
      ),
    );
    await time('raw BatchWriteItem of lines + audits', (s) =>
      pool(chunks(products, 25), 16, async (c) => {
        await bw(
          'inv',
          c.map((p) => line(s, p)),
        );
        await bw(
          'audit',
          c.map((p) => audit(s, p)),
        );
      }),
    );
    for (const inFlight of [4, 16])
      await time(`today: read 50 + transaction of 50 lines + 50 audits, ${inFlight} in flight`, (s) =>
        pool(chunks(products, 50), inFlight, async (c) => {
          await read(s, c);
          await doc.send(
            new TransactWriteCommand({
              TransactItems: c.flatMap((p) => [
                { Update: update(s, p) },
                {
                  Put: {
                    TableName: 'audit',
                    Item: audit(s, p),
                    ConditionExpression: 'attribute_not_exists(line)',
                  },
                },
              ]),
            }),
          );
        }),
      );
    await time('read 100 + transaction of 100 lines, audits by BatchWriteItem, 16 in flight', (s) =>
      pool(chunks(products, 100), 16, async (c) => {
        await read(s, c);
        await doc.send(new TransactWriteCommand({ TransactItems: c.map((p) => ({ Update: update(s, p) })) }));
        await pool(chunks(c, 25), 4, (cc) =>
          bw(
            'audit',
            cc.map((p) => audit(s, p)),
          ),
        );
      }),
    );
    await time('read 100 + transaction of 2 items (line + audit) per row, 16 in flight', (s) =>
      pool(chunks(products, 100), 4, async (c) => {
        await read(s, c);
        await pool(c, 4, (p) =>
          doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: update(s, p) },
                {
                  Put: {
                    TableName: 'audit',
                    Item: audit(s, p),
                    ConditionExpression: 'attribute_not_exists(line)',
                  },
                },
              ],
            }),
          ),
        );
      }),
    );
    for (const inFlight of [16, 64])
      await time(`conditional UpdateItem per row (lines only), ${inFlight} in flight`, (s) =>
        pool(products, inFlight, (p) => doc.send(new UpdateCommand(update(s, p)))),
      );
    await time('conditional UpdateItem per row, 32 in flight, + audits by BatchWriteItem', (s) =>
      pool(chunks(products, 100), 4, async (c) => {
        await pool(c, 8, (p) => doc.send(new UpdateCommand(update(s, p))));
        await pool(chunks(c, 25), 4, (cc) =>
          bw(
            'audit',
            cc.map((p) => audit(s, p)),
          ),
        );
      }),
    );
    // PartiQL UPDATE never creates an item: the lines exist first (not timed), as for a store's re-import.
    const existing = ulid();
    await pool(chunks(products, 25), 16, (c) =>
      bw(
        'inv',
        c.map((p) => ({ storeId: existing, productId: p })),
      ),
    );
    await time('PartiQL BatchExecuteStatement, 25 conditional UPDATEs per request, 16 in flight', () =>
      pool(chunks(products, 25), 16, (c) =>
        doc.send(
          new BatchExecuteStatementCommand({
            Statements: c.map((p) => ({
              Statement:
                'UPDATE "inv" SET available = ? SET importSequence = ? SET lastImportId = ? ' +
                'WHERE storeId = ? AND productId = ? AND (attribute_not_exists(importSequence) OR importSequence < ?)',
              Parameters: [7, `3000#${round}`, 'y', existing, p, `3000#${round}`],
            })),
          }),
        ),
      ),
    );
  }
  await engine.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
