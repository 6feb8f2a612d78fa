/**
 * The inventory import end to end on the real engines: a CSV in the S3 engine, the validator handler on
 * its ObjectCreated event, the real ASL run by aws-local-stepfunctions with every Task the real handler,
 * started through the real Step Functions client. Success, bad-row and failure paths; redelivered events;
 * two imports racing for one store; a direct drop under another merchant's store.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { catalogSeedData } from '../../../local/seed/catalog-data';
import { productSkuKey } from '../../../functions/shared/published/product-sku';
import { stockItem } from '../../../functions/shared/published/stock';
import { lambdaContext } from '../../support/lambda';
import {
  auditOf,
  pipelineBucket as bucket,
  catalogueSkus,
  clients,
  csv,
  documents,
  importIdOf,
  importRecord,
  merchantStore,
  resources,
  startPipeline,
  stockLine,
  upload,
  uploadKeyFor,
  type Pipeline,
} from './helpers';

jest.setTimeout(120_000);

/** Destructures the first pairs of a catalogueSkus() answer. */
type SkuPairs = [[string, string], [string, string], ...[string, string][]];

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(async () => {
  await pipeline.close();
  Object.values(clients).forEach((c) => c.destroy());
});

/** The validator with its own timeout (300 s) counting down, as Lambda gives it (middy stops it at 0). */
const validate = async (event: unknown) => {
  const deadline = Date.now() + 300_000;
  const context = {
    ...lambdaContext('ValidateInventoryImport'),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  return (await pipeline.validator(event, context as never)) as { outcomes: string[] };
};

/** Uploads, validates and waits for the machine: the import record at the end. */
async function importFile(key: string, body: string | Buffer, at?: Date) {
  const event = await upload(key, body, at);
  const result = await validate(event);
  await pipeline.machine.settled();
  return { event, result, record: (await importRecord(importIdOf(key)))! };
}

async function readObject(key: string): Promise<string> {
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString('utf-8');
}

async function existingLine(storeId: string, productId: string, available: number) {
  await documents.send(
    new PutCommand({
      TableName: resources.tableNames.Inventory!,
      Item: stockItem({
        storeId,
        productId,
        available,
        reserved: 2,
        version: 4,
        updatedAt: new Date().toISOString(),
      }),
    }),
  );
}

describe('a clean file', () => {
  it('is validated and applied: lines set and created, audited, SUCCEEDED with its counts', async () => {
    const { storeId, merchantId } = await merchantStore();
    const skus = [...(await catalogueSkus(3))];
    const [[skuA, productA], [skuB, productB], [skuC, productC]] = skus as [
      [string, string],
      [string, string],
      [string, string],
    ];
    await existingLine(storeId, productA, 7);
    const key = uploadKeyFor(merchantId, storeId);
    // BOM, CRLF, columns in another order, a quoted field with a comma and a quote, blank lines.
    const body =
      '\uFEFFquantity,reason,SKU\r\n' +
      `12,"recount, aisle ""3""",${skuA}\r\n` +
      '\r\n' +
      `0,,${skuB}\r\n` +
      `100000,,"${skuC}"\r\n` +
      ',,\r\n';
    const { record, result } = await importFile(key, body);

    expect(result.outcomes).toEqual(['started']);
    expect(record).toMatchObject({
      status: 'SUCCEEDED',
      storeId,
      merchantId,
      counts: { rows: 3, valid: 3, applied: 3, superseded: 0, rejected: 0 },
      errors: [],
    });
    expect(record.reportKey).toBeUndefined();
    expect(record.finishedAt).toEqual(expect.any(String));
    expect(await stockLine(storeId, productA)).toMatchObject({ available: 12, reserved: 2, version: 5 });
    expect(await stockLine(storeId, productB)).toMatchObject({ available: 0, reserved: 0, version: 1 });
    expect(await stockLine(storeId, productC)).toMatchObject({ available: 100000, version: 1 });
    const [audit] = await auditOf(storeId, productA);
    expect(audit).toMatchObject({
      auditId: importIdOf(key),
      importId: importIdOf(key),
      userId: merchantId,
      reason: 'recount, aisle "3"',
      change: { set: 12 },
      before: { available: 7, reserved: 2, version: 4 },
      after: { available: 12, reserved: 2, version: 5 },
    });
    expect(await auditOf(storeId, productB)).toEqual([
      expect.objectContaining({ after: { available: 0, reserved: 0, version: 1 } }),
    ]);
    const notified = (await pipeline.notifications()).filter(
      (n) => n.idempotencyKey === `inventory_import.finished:${importIdOf(key)}`,
    );
    expect(notified).toEqual([
      {
        eventType: 'inventory_import.finished',
        userId: merchantId,
        data: {
          importId: importIdOf(key),
          storeId,
          status: 'SUCCEEDED',
          counts: { rows: 3, valid: 3, applied: 3, superseded: 0, rejected: 0 },
        },
        idempotencyKey: `inventory_import.finished:${importIdOf(key)}`,
        priority: 'transactional',
        occurredAt: expect.any(String),
      },
    ]);
  });

  it('takes LF line endings and a file without a BOM or a reason column', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    const { record } = await importFile(uploadKeyFor(merchantId, storeId), `sku,quantity\n${sku},5\n`);
    expect(record).toMatchObject({ status: 'SUCCEEDED', counts: { rows: 1, applied: 1 } });
    expect(await stockLine(storeId, productId)).toMatchObject({ available: 5 });
  });

  it('applies a file of 2,500 rows in three chunks', async () => {
    const { storeId, merchantId } = await merchantStore();
    const skus = [...(await catalogueSkus(2500))];
    const body = 'sku,quantity\n' + skus.map(([sku], i) => `${sku},${i % 50}`).join('\n') + '\n';
    const key = uploadKeyFor(merchantId, storeId);
    const { record } = await importFile(key, body);
    expect(record).toMatchObject({
      status: 'SUCCEEDED',
      chunks: 3,
      counts: { rows: 2500, valid: 2500, applied: 2500 },
    });
    expect(await stockLine(storeId, skus[2499]![1])).toMatchObject({ available: 2499 % 50 });
  });
});

describe('the fixtures (local/fixtures)', () => {
  /** The seed catalogue's first products, known to the catalogue as the seed writes them. */
  async function seedSkus() {
    const products = catalogSeedData(2000).products.slice(0, 20);
    for (const p of products)
      await documents.send(
        new PutCommand({
          TableName: resources.tableNames.Catalog!,
          Item: { ...productSkuKey(p.sku), entity: 'ProductSku', productId: p.id },
        }),
      );
    return products;
  }

  it('applies the clean file in full', async () => {
    const products = await seedSkus();
    const { storeId, merchantId } = await merchantStore();
    const body = readFileSync(join(__dirname, '../../../local/fixtures/inventory-clean.csv'));
    const { record } = await importFile(uploadKeyFor(merchantId, storeId), body);
    expect(record).toMatchObject({ status: 'SUCCEEDED', counts: { rows: 20, valid: 20, applied: 20 } });
    expect(await stockLine(storeId, products[1]!.id)).toMatchObject({ available: 13 });
  });

  it('applies the three good rows of the hostile file and rejects the other fourteen', async () => {
    await seedSkus();
    const { storeId, merchantId } = await merchantStore();
    const body = readFileSync(join(__dirname, '../../../local/fixtures/inventory-hostile.csv'));
    const { record } = await importFile(uploadKeyFor(merchantId, storeId), body);
    expect(record).toMatchObject({
      status: 'PARTIALLY_APPLIED',
      counts: { rows: 17, valid: 3, applied: 3, rejected: 14 },
    });
    const report = await readObject(record.reportKey as string);
    for (const line of report.split('\r\n').slice(1))
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('a file with bad rows', () => {
  it('applies the good rows, rejects each bad one with its line and reason, and writes a neutralised report', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[good, goodProduct], [dup, dupProduct]] = [...(await catalogueSkus(2))] as SkuPairs;
    const key = uploadKeyFor(merchantId, storeId);
    const body = csv(
      'sku,quantity,reason',
      `${good},9,ok`, // 2
      `${dup},1,first`, // 3
      'NO-SUCH-SKU,4,', // 4
      `${dup},2,second`, // 5
      '=HYPERLINK("http://evil"),1,', // 6
      `${good}X,-1,`, // 7
      `${good}Y,1.5,`, // 8
      `${good}Z,1e3,`, // 9
      `${good}W,"",`, // 10
      '@SUM(A1:A9),3,', // 11
      '"\t+SUM(1)",3,', // 12
      `${good}V,100001,`, // 13
      `${good}U,5,x,extra`, // 14
    );
    const { record } = await importFile(key, body);
    const importId = importIdOf(key);

    expect(record).toMatchObject({
      status: 'PARTIALLY_APPLIED',
      counts: { rows: 13, valid: 1, applied: 1, rejected: 12 },
      reportKey: `imports/${merchantId}/${storeId}/${importId}.errors.csv`,
    });
    expect(await stockLine(storeId, goodProduct)).toMatchObject({ available: 9 });
    expect(await stockLine(storeId, dupProduct)).toBeUndefined();
    const byLine = Object.fromEntries((record.errors as { line: number }[]).map((e) => [e.line, e]));
    expect(
      Object.keys(byLine)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(byLine[3]).toMatchObject({ column: 'sku', reason: expect.stringContaining('lines 3, 5') });
    expect(byLine[5]).toMatchObject({ column: 'sku', reason: expect.stringContaining('lines 3, 5') });
    expect(byLine[4]).toMatchObject({ column: 'sku', reason: expect.stringContaining('Unknown SKU') });
    for (const line of [7, 8, 9, 13]) expect(byLine[line]).toMatchObject({ column: 'quantity' });
    expect(byLine[10]).toMatchObject({ column: 'quantity', reason: 'The quantity is missing.' });
    expect(byLine[14]).toMatchObject({ reason: expect.stringContaining('Expected 3 cells') });

    const report = await readObject(record.reportKey as string);
    const lines = report
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('line,column,sku,quantity,reason');
    expect(lines).toHaveLength(13);
    expect(lines.map((l) => l.split(',')[0])).toEqual([
      'line',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
      '12',
      '13',
      '14',
    ]);
    // No cell starts with a formula character: the formula cells carry an apostrophe first.
    expect(report).toContain(`6,sku,"'=HYPERLINK(""http://evil"")",1,`);
    expect(report).toContain("11,sku,'@SUM(A1:A9),3,");
    expect(report).toContain("12,sku,'\t+SUM(1),3,");
    expect(report).toContain('7,quantity,');
    expect(report).toContain(",'-1,");
    for (const line of lines.slice(1))
      for (const cell of line.split(',')) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('a file that is unusable as a whole is REJECTED with the reason, and nothing is applied', () => {
  const cases: [string, () => Promise<string | Buffer>, RegExp][] = [
    ['10 MB + 1 byte', async () => Buffer.alloc(10 * 1024 * 1024 + 1, 'a'), /larger than 10 MB/],
    [
      '100,001 rows',
      async () => 'sku,quantity\n' + Array.from({ length: 100_001 }, (_, i) => `SKU-${i},1`).join('\n'),
      /more than 100000 rows/,
    ],
    ['Latin-1 bytes', async () => Buffer.from('sku,quantity\nCAF\xc9-1,3\n', 'latin1'), /not UTF-8/],
    ['a header only', async () => 'sku,quantity\r\n', /header but no rows/],
    ['no header (an empty file)', async () => '', /no header/],
    ['a missing column', async () => 'sku,reason\nABC-1,x\n', /Missing required column: quantity/],
    [
      'an extra column, refused by name',
      async () => 'sku,quantity,price\nABC-1,1,3\n',
      /Unknown column "price"/,
    ],
    ['an unclosed quote', async () => 'sku,quantity\n"ABC-1,1\n', /not valid CSV/],
  ];

  it.each(cases)('%s', async (_name, makeBody, reason) => {
    const { storeId, merchantId } = await merchantStore();
    const key = uploadKeyFor(merchantId, storeId);
    const runs = pipeline.machine.executions.size;
    const { record, result } = await importFile(key, await makeBody());
    expect(result.outcomes).toEqual(['rejected']);
    expect(record).toMatchObject({ status: 'REJECTED', reason: expect.stringMatching(reason) });
    expect(record.finishedAt).toEqual(expect.any(String));
    expect(pipeline.machine.executions.size).toBe(runs);
  });
});

describe('exactly once', () => {
  it('a redelivered S3 event (again, and twice at once) starts no second application', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    await existingLine(storeId, productId, 1);
    const key = uploadKeyFor(merchantId, storeId);
    const { event, record } = await importFile(key, `sku,quantity\n${sku},40\n`);
    expect(record.status).toBe('SUCCEEDED');

    const again = await Promise.all([validate(event), validate(event), validate(event)]);
    await pipeline.machine.settled();
    expect(again.map((r) => r.outcomes[0])).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const names = [...pipeline.machine.executions.values()].filter((e) => e.name.includes(importIdOf(key)));
    expect(names).toHaveLength(1);
    expect(await stockLine(storeId, productId)).toMatchObject({ available: 40, version: 5 });
    expect(await auditOf(storeId, productId)).toHaveLength(1);
  });

  it('the same event delivered twice at once before either finished applies the file once', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    const key = uploadKeyFor(merchantId, storeId);
    const event = await upload(key, `sku,quantity\n${sku},8\n`);
    const outcomes = await Promise.all([validate(event), validate(event)]);
    await pipeline.machine.settled();
    expect(outcomes.flatMap((o) => o.outcomes).sort()).toEqual(expect.arrayContaining(['started']));
    expect(
      [...pipeline.machine.executions.values()].filter((e) => e.name.includes(importIdOf(key))),
    ).toHaveLength(1);
    expect((await importRecord(importIdOf(key)))!.status).toBe('SUCCEEDED');
    expect(await stockLine(storeId, productId)).toMatchObject({ available: 8, version: 1 });
  });

  it('re-running a chunk (a retried Task) changes nothing and counts the rows as applied', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    const key = uploadKeyFor(merchantId, storeId);
    const { record } = await importFile(key, `sku,quantity\n${sku},3\n`);
    const before = await stockLine(storeId, productId);
    const task = {
      importId: record.importId,
      storeId,
      merchantId,
      sequence: record.sequence,
      chunkKey: `chunks/${record.importId}/rows-00001.json`,
    };
    const result = await pipeline.tasks.ApplyImportChunk!(task, lambdaContext() as never);
    expect(result).toEqual({ applied: 1, superseded: 0 });
    expect(await stockLine(storeId, productId)).toEqual(before);
    expect(await auditOf(storeId, productId)).toHaveLength(1);
  });
});

describe('two imports of one store', () => {
  it('the newer upload wins: the older, applied after it, leaves its lines alone (superseded)', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[skuA, productA], [skuB, productB]] = [...(await catalogueSkus(2))] as SkuPairs;
    const t = Date.now();
    const olderKey = uploadKeyFor(merchantId, storeId);
    const newerKey = uploadKeyFor(merchantId, storeId);
    const olderEvent = await upload(olderKey, `sku,quantity\n${skuA},1\n${skuB},1\n`, new Date(t));
    const newer = await importFile(newerKey, `sku,quantity\n${skuA},2\n`, new Date(t + 1000));
    expect(newer.record).toMatchObject({ status: 'SUCCEEDED', counts: { applied: 1 } });

    await validate(olderEvent);
    await pipeline.machine.settled();
    expect(await importRecord(importIdOf(olderKey))).toMatchObject({
      status: 'SUCCEEDED',
      counts: { rows: 2, valid: 2, applied: 1, superseded: 1 },
    });
    expect(await stockLine(storeId, productA)).toMatchObject({
      available: 2,
      lastImportId: importIdOf(newerKey),
    });
    expect(await stockLine(storeId, productB)).toMatchObject({
      available: 1,
      lastImportId: importIdOf(olderKey),
    });
  });

  it('racing over the same 300 lines, the newer upload holds every line at the end', async () => {
    const { storeId, merchantId } = await merchantStore();
    const skus = [...(await catalogueSkus(300))];
    const t = Date.now();
    const older = uploadKeyFor(merchantId, storeId);
    const newer = uploadKeyFor(merchantId, storeId);
    const [olderEvent, newerEvent] = await Promise.all([
      upload(older, 'sku,quantity\n' + skus.map(([s]) => `${s},11`).join('\n'), new Date(t)),
      upload(newer, 'sku,quantity\n' + skus.map(([s]) => `${s},22`).join('\n'), new Date(t + 1)),
    ]);
    await Promise.all([validate(newerEvent), validate(olderEvent)]);
    await pipeline.machine.settled();
    const lines = await Promise.all(skus.map(([, p]) => stockLine(storeId, p)));
    expect(lines.every((l) => l?.available === 22)).toBe(true);
    const [o, n] = [await importRecord(importIdOf(older)), await importRecord(importIdOf(newer))];
    expect(n).toMatchObject({ status: 'SUCCEEDED', counts: { applied: 300 } });
    expect(o!.counts.applied + o!.counts.superseded).toBe(300);
  });
});

describe('direct drops', () => {
  it("a file dropped under the merchant's own prefix creates its import record", async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    const key = `imports/${merchantId}/${storeId}/stock monday.csv`;
    const event = await upload(key, `sku,quantity\n${sku},6\n`);
    await validate(event);
    await pipeline.machine.settled();
    expect(await stockLine(storeId, productId)).toMatchObject({ available: 6 });
    const lastImportId = (await stockLine(storeId, productId))!.lastImportId as string;
    expect(await importRecord(lastImportId)).toMatchObject({ status: 'SUCCEEDED', objectKey: key, storeId });
    // The same event again finds the same (derived) import.
    expect((await validate(event)).outcomes).toEqual(['duplicate']);
  });

  it("a merchant's file under another merchant's store is REJECTED and changes nothing", async () => {
    const a = await merchantStore();
    const b = await merchantStore();
    const [[sku, productId]] = [...(await catalogueSkus(1))] as SkuPairs;
    const key = uploadKeyFor(a.merchantId, b.storeId);
    const { record } = await importFile(key, `sku,quantity\n${sku},6\n`);
    expect(record).toMatchObject({
      status: 'REJECTED',
      reason: expect.stringContaining('does not own store'),
    });
    expect(await stockLine(b.storeId, productId)).toBeUndefined();
  });

  it('files outside imports/{merchantId}/{storeId}/ and error reports are ignored', async () => {
    const { storeId, merchantId } = await merchantStore();
    expect(
      (await validate(await upload(`imports/${merchantId}/stock.csv`, 'sku,quantity\n'))).outcomes,
    ).toEqual(['ignored']);
    expect(
      (await validate(await upload(`imports/${merchantId}/${storeId}/${ulid()}.errors.csv`, 'line\n')))
        .outcomes,
    ).toEqual(['ignored']);
  });
});

describe('failures are caught into FAILED with a reason', () => {
  it('a chunk that cannot be applied fails the import, after the ASL retried throttling', async () => {
    const { storeId, merchantId } = await merchantStore();
    const [[sku]] = [...(await catalogueSkus(1))] as SkuPairs;
    const key = uploadKeyFor(merchantId, storeId);
    const event = await upload(key, `sku,quantity\n${sku},6\n`);
    const listed = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `imports/${merchantId}/` }),
    );
    expect(listed.KeyCount).toBe(1);
    await validate(event);
    await pipeline.machine.settled();
    const execution = [...pipeline.machine.executions.values()].find((e) =>
      e.name.includes(importIdOf(key)),
    )!;
    expect(execution.status).toBe('SUCCEEDED');

    // The same manifest through the machine with ApplyImportChunk throttled every time, then broken.
    let calls = 0;
    const throttled = async () => {
      calls++;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    };
    const manifest = execution.input as Record<string, unknown>;
    const freshId = ulid();
    await documents.send(
      new PutCommand({
        TableName: resources.tableNames.InventoryImportRecords!,
        Item: {
          importId: freshId,
          storeId,
          merchantId,
          objectKey: key,
          status: 'APPLYING',
          counts: {},
          errors: [],
          createdAt: new Date().toISOString(),
        },
      }),
    );
    const run = await pipeline.machine.run(
      { ...manifest, importId: freshId },
      { ApplyImportChunk: throttled },
    );
    expect(calls).toBe(7); // the first try and six retries
    expect(run.status).toBe('FAILED');
    expect(run.error?.name).toBe('ImportFailed');
    const failed = (await pipeline.notifications()).filter(
      (n) => n.idempotencyKey === `inventory_import.failed:${freshId}`,
    );
    expect(failed).toEqual([
      expect.objectContaining({
        userId: merchantId,
        data: expect.objectContaining({ status: 'FAILED', reason: expect.any(String) }),
      }),
    ]);
    expect(await importRecord(freshId)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('internal error'),
    });
  });

  it('a failure after the chunks (the report) is caught into FAILED too', async () => {
    const { storeId, merchantId } = await merchantStore();
    const key = uploadKeyFor(merchantId, storeId);
    const importId = ulid();
    await documents.send(
      new PutCommand({
        TableName: resources.tableNames.InventoryImportRecords!,
        Item: {
          importId,
          storeId,
          merchantId,
          objectKey: key,
          status: 'APPLYING',
          counts: {},
          errors: [],
          createdAt: new Date().toISOString(),
        },
      }),
    );
    const run = await pipeline.machine.run({
      importId,
      storeId,
      merchantId,
      objectKey: key,
      sequence: `${new Date().toISOString()}#${importId}`,
      chunks: [],
      errorChunks: [`chunks/${importId}/errors-00001.json`], // never written
      counts: { rows: 1, valid: 0, rejected: 1 },
    });
    expect(run.status).toBe('FAILED');
    expect(await importRecord(importId)).toMatchObject({ status: 'FAILED', reason: expect.any(String) });
  });
});
