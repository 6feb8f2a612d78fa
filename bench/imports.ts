/**
 * Inventory imports (issue 7), one section of npm run bench; alone: npx tsx bench/imports.ts [--rows 50000].
 *
 * On throw-away engines (DynamoDB Local, s3rver): a catalogue of 100,000 SKUs; raw BatchWriteItem of
 * `rows` stock lines at 16 requests in flight, as the floor; then an import of `rows` rows end to end
 * (upload to final status): the validator as its real bundle in a fresh process (like a Lambda), the
 * InventoryImport ASL run by aws-local-stepfunctions on the real Task handlers in this process. The
 * validator's peak RSS (the child's maxRSS) is measured for `rows` and for 100,000 rows.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { app } from '../lib/app/app';
import { productSkuKey } from '../functions/shared/published/product-sku';
import { stockItem } from '../functions/shared/published/stock';
import { ROWS_PER_TRANSACTION } from '../functions/imports/use-cases/apply';
import { stockAuditItem } from '../functions/shared/published/stock-audit';
import { storeKey } from '../functions/shared/published/store-access';
import { startEngines } from '../local/engines';
import { localClients } from '../local/engines/clients';
import type { LocalResources } from '../local/engines/types';
import { inventoryCsv } from '../local/imports/generate';
import { provision } from '../local/provision';
import { bundle } from '../local/runtime/bundle';
import { lambdaEnvironment } from '../local/runtime/environment';
import { integrationEnvironment } from '../test/support/engines';
import { asTask, startLocalMachine, type TaskHandler } from '../test/support/step-functions';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');
const CATALOGUE = 100_000;
const IN_FLIGHT = 16;

const VALIDATOR = app.functions.find((f) => f.name === 'ValidateInventoryImport')!;
/** Chunks the machine applies at once (its Map's MaxConcurrency). */
const MAP_CONCURRENCY = (
  JSON.parse(readFileSync(join(ROOT, 'statemachines/inventory-import.asl.json'), 'utf8')) as {
    States: { ApplyChunks: { MaxConcurrency: number } };
  }
).States.ApplyChunks.MaxConcurrency;

async function batchWrite(
  documents: DynamoDBDocumentClient,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const start = next;
      next += 25;
      if (start >= items.length) return;
      let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {
        [table]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (Object.keys(pending).length > 0) {
        const out = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = (out.UnprocessedItems ?? {}) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

interface ValidatorRun {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly rssAfterLoadMb: number;
  readonly outcome: unknown;
}

export interface ImportBench {
  readonly rows: number;
  readonly rawItemsPerSecond: number;
  /** Lines and their audit records by BatchWriteItem: rows per second (two items each). */
  readonly rawRowsWithAuditPerSecond: number;
  /** The lines with their audits in transactions of the import's size (the atomic path's floor). */
  readonly rawTransactionRowsPerSecond: number;
  readonly endToEndMs: number;
  readonly endToEndRowsPerSecond: number;
  readonly validate: ValidatorRun;
  readonly validateLarge: ValidatorRun;
  readonly status: unknown;
  readonly counts: unknown;
  readonly phases: readonly (readonly [string, string])[];
}

export async function benchImports(opts: { rows: number; log?: (line: string) => void }): Promise<string> {
  const log = opts.log ?? (() => undefined);
  const engines = await startEngines({ redis: false });
  try {
    const resources = await provision(app, engines.endpoints, { stage: 'local', logLevel: 'ERROR' });
    const result = await measure(resources, opts.rows, log);
    return render(result);
  } finally {
    await engines.stop();
  }
}

async function measure(
  resources: LocalResources,
  rows: number,
  log: (line: string) => void,
): Promise<ImportBench> {
  const clients = localClients(resources.endpoints);
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const tables = resources.tableNames;
  const bucket = resources.bucketNames.InventoryImports!;

  log(`Imports: a catalogue of ${CATALOGUE} SKUs…`);
  const skus = Array.from({ length: CATALOGUE }, (_, i) => `BENCH-${String(i).padStart(6, '0')}`);
  const productIds = skus.map(() => ulid());
  await batchWrite(
    documents,
    tables.Catalog!,
    skus.map((sku, i) => ({ ...productSkuKey(sku), entity: 'ProductSku', productId: productIds[i] })),
  );

  log(`Imports: raw BatchWriteItem of ${rows} stock lines, ${IN_FLIGHT} in flight…`);
  const rawStore = ulid();
  const now = new Date().toISOString();
  // The same items the import writes: its lines carry the import's ordering attributes too.
  const rawImport = ulid();
  const lineAt = (storeId: string, productId: string) => ({
    ...stockItem({ storeId, productId, available: 5, reserved: 0, version: 1, updatedAt: now }),
    importSequence: `${now}#${rawImport}`,
    lastImportId: rawImport,
  });
  const auditAt = (storeId: string, productId: string) =>
    stockAuditItem({
      auditId: rawImport,
      storeId,
      productId,
      userId: 'bench-merchant',
      roles: ['merchant'],
      at: now,
      reason: `Inventory import ${rawImport} (line 2)`,
      change: { set: 5 },
      after: { available: 5, reserved: 0, version: 1 },
      importId: rawImport,
    });
  const rowIds = productIds.slice(0, rows);
  const lines = rowIds.map((productId) => lineAt(rawStore, productId));
  const rawStart = performance.now();
  await batchWrite(documents, tables.Inventory!, lines);
  const rawMs = performance.now() - rawStart;
  // A second floor for context: the lines and their audit records (what an import stores per row).
  log(`Imports: raw BatchWriteItem of ${rows} stock lines and ${rows} audit records…`);
  const auditStore = ulid();
  const auditStart = performance.now();
  await batchWrite(
    documents,
    tables.Inventory!,
    rowIds.map((productId) => lineAt(auditStore, productId)),
  );
  await batchWrite(
    documents,
    tables.InventoryAudit!,
    rowIds.map((productId) => auditAt(auditStore, productId)),
  );
  const rawWithAuditMs = performance.now() - auditStart;
  // A third: the same two items per row in transactions of the import's size, as many in flight as the
  // machine's Map runs chunks. The atomic path's own floor on this engine, before any condition or read.
  log(
    `Imports: raw TransactWriteItems of ${rows} lines with their audits, ${ROWS_PER_TRANSACTION} rows each…`,
  );
  const txStore = ulid();
  const txStart = performance.now();
  const groups = Array.from({ length: Math.ceil(rows / ROWS_PER_TRANSACTION) }, (_, g) =>
    rowIds.slice(g * ROWS_PER_TRANSACTION, (g + 1) * ROWS_PER_TRANSACTION),
  );
  await Promise.all(
    Array.from({ length: MAP_CONCURRENCY }, async () => {
      for (let group = groups.shift(); group; group = groups.shift())
        await documents.send(
          new TransactWriteCommand({
            TransactItems: group.flatMap((productId) => [
              { Put: { TableName: tables.Inventory!, Item: lineAt(txStore, productId) } },
              { Put: { TableName: tables.InventoryAudit!, Item: auditAt(txStore, productId) } },
            ]),
          }),
        );
    }),
  );
  const rawTransactionsMs = performance.now() - txStart;

  // The Tasks in this process, with the environment the integration tests give them (every resource).
  Object.assign(process.env, integrationEnvironment(app, resources), {
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // The Tasks as their bundles too (each its own module instance, like its own Lambda), imported here.
  const outDir = await mkdtemp(join(tmpdir(), 'zepto-bench-imports-'));
  const taskFiles: Record<string, string> = {
    ApplyImportChunk: 'apply-chunk',
    WarmImportCache: 'warm-cache',
    WriteImportReport: 'write-report',
    CompleteImport: 'complete-import',
    FailImport: 'fail-import',
    NotifyImport: 'notify-import',
  };
  const { files } = await bundle(
    [
      VALIDATOR,
      ...Object.entries(taskFiles).map(([name, file]) => ({
        name,
        entry: `functions/imports/handlers/${file}.ts`,
      })),
    ],
    { outDir },
  );
  // Every Task timed (its handler's own time, in this process), for the breakdown.
  const taskTimes = new Map<string, TaskTime>();
  const task = async (name: string): Promise<TaskHandler> => {
    const run = asTask(
      ((await import(pathToFileURL(files.get(name)!).href)) as { handler: never }).handler,
      name,
    );
    return async (input) => {
      const t0 = performance.now();
      try {
        return await run(input);
      } finally {
        const t1 = performance.now();
        const t = taskTimes.get(name) ?? { calls: 0, ms: 0, first: t0, last: t1 };
        taskTimes.set(name, {
          calls: t.calls + 1,
          ms: t.ms + t1 - t0,
          first: Math.min(t.first, t0),
          last: Math.max(t.last, t1),
        });
      }
    };
  };
  const machine = await startLocalMachine('statemachines/inventory-import.asl.json', 'InventoryImport', {
    ApplyImportChunk: await task('ApplyImportChunk'),
    WarmImportCache: await task('WarmImportCache'),
    WriteImportReport: await task('WriteImportReport'),
    CompleteImport: await task('CompleteImport'),
    FailImport: await task('FailImport'),
    NotifyImport: await task('NotifyImport'),
  });
  // For the 100,000-row file only the validator is measured: its StartExecution goes to a stub.
  const stub = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          executionArn: 'arn:aws:states:ap-south-1:000000000000:execution:x:y',
          startDate: 0,
        }),
      );
    });
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  const stubEndpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;

  const validatorBundle = files.get(VALIDATOR.name)!;

  const merchantId = 'bench-merchant';
  const storeId = ulid();
  await documents.send(
    new PutCommand({
      TableName: tables.Stores!,
      Item: { ...storeKey(storeId), merchantId, staff: {}, status: 'open' },
    }),
  );

  const validate = async (
    fileRows: number,
    sfnEndpoint: string,
  ): Promise<{ run: ValidatorRun; importId: string }> => {
    const importId = ulid();
    const key = `imports/${merchantId}/${storeId}/${importId}.csv`;
    const body = Buffer.from(inventoryCsv(skus, fileRows), 'utf8');
    const put = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    const event = {
      Records: [
        {
          eventTime: new Date().toISOString(),
          s3: { object: { key, size: body.length, eTag: (put.ETag ?? '').replaceAll('"', '') } },
        },
      ],
    };
    const eventFile = join(outDir, `${importId}.event.json`);
    await writeFile(eventFile, JSON.stringify(event));
    const env = {
      ...lambdaEnvironment(VALIDATOR, resources),
      INVENTORY_IMPORT_STATE_MACHINE_ARN: machine.arn,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      BENCH_TIMEOUT_MS: String(VALIDATOR.timeoutSeconds! * 1000),
      PATH: process.env.PATH ?? '',
    };
    const { stdout } = await run(
      process.execPath,
      [
        `--max-old-space-size=${VALIDATOR.memoryMb}`,
        join(ROOT, 'bench/import-validator-child.mjs'),
        validatorBundle,
        eventFile,
      ],
      { env, maxBuffer: 1 << 20 },
    );
    return { run: JSON.parse(stdout.trim().split('\n').pop()!) as ValidatorRun, importId };
  };

  log(`Imports: ${rows} rows end to end (validator bundle in a child process, the ASL on the real Tasks)…`);
  taskTimes.clear();
  const start = performance.now();
  const { run: small, importId } = await validate(rows, machine.endpoint);
  const validatedAt = performance.now();
  await machine.settled();
  const endToEndMs = performance.now() - start;
  const end = start + endToEndMs;
  const phases = breakdown(start, validatedAt, end, small, new Map(taskTimes));
  const { Item: record } = await documents.send(
    new GetCommand({ TableName: tables.InventoryImportRecords!, Key: { importId } }),
  );

  log(`Imports: the validator alone on ${CATALOGUE} rows…`);
  const { run: large } = await validate(CATALOGUE, stubEndpoint);

  await machine.close();
  await new Promise<void>((r) => stub.close(() => r()));
  clients.destroy();
  return {
    rows,
    rawItemsPerSecond: (rows / rawMs) * 1000,
    rawRowsWithAuditPerSecond: (rows / rawWithAuditMs) * 1000,
    rawTransactionRowsPerSecond: (rows / rawTransactionsMs) * 1000,
    endToEndMs,
    endToEndRowsPerSecond: (rows / endToEndMs) * 1000,
    validate: small,
    validateLarge: large,
    status: record?.status,
    counts: record?.counts,
    phases,
  };
}

interface TaskTime {
  readonly calls: number;
  /** Sum of the calls' own times (they overlap inside the Map). */
  readonly ms: number;
  /** First start and last end (performance.now()). */
  readonly first: number;
  readonly last: number;
}

/** Where the end-to-end time went: wall-clock spans, and the Tasks' own time inside them. */
function breakdown(
  start: number,
  validatedAt: number,
  end: number,
  validator: ValidatorRun,
  tasks: ReadonlyMap<string, TaskTime>,
): [string, string][] {
  const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const apply = tasks.get('ApplyImportChunk');
  const warm = tasks.get('WarmImportCache');
  const mapEnd = Math.max(apply?.last ?? validatedAt, warm?.last ?? validatedAt);
  const rows: [string, string][] = [
    [
      'validator (fresh process: start, module load, handler)',
      `${f(validatedAt - start)} (handler ${f(validator.ms)})`,
    ],
    ['execution start → first Task', f((apply?.first ?? validatedAt) - validatedAt)],
    ['Map ApplyChunks (wall)', f(mapEnd - (apply?.first ?? validatedAt))],
  ];
  for (const [name, t] of tasks)
    rows.push([`  ${name}: ${t.calls} calls`, `${f(t.ms)} summed, ${f(t.ms / t.calls)} each`]);
  const complete = tasks.get('CompleteImport');
  rows.push(['after the Map → status recorded', f((complete?.last ?? end) - mapEnd)]);
  rows.push(['after the status → execution closed (notify)', f(end - (complete?.last ?? end))]);
  return rows;
}

function render(r: ImportBench): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  return [
    '## Inventory imports',
    '',
    `DynamoDB Local in the same run. Raw floor: BatchWriteItem of ${r.rows} stock lines as an import writes them (with \`importSequence\`, \`lastImportId\`), 25 per request, ${IN_FLIGHT} in flight; for context also the lines with their audit records (two items per row), by BatchWriteItem and in unconditional transactions of the import's size.`,
    'End to end: upload in S3 → validator (bundle, fresh process) → InventoryImport machine (aws-local-stepfunctions,',
    'real Task handlers: Map of 4 chunks in flight, 4 transactions of 50 rows + 50 audit records per chunk) → final status.',
    '',
    '| measure | value |',
    '| --- | --- |',
    `| raw BatchWriteItem | ${f(r.rawItemsPerSecond)} items/s |`,
    `| raw BatchWriteItem, lines + audit records (context) | ${f(r.rawRowsWithAuditPerSecond)} rows/s = ${f(2 * r.rawRowsWithAuditPerSecond)} items/s (${f(r.rawRowsWithAuditPerSecond / r.rawItemsPerSecond, 2)} of raw) |`,
    `| raw TransactWriteItems, lines + audit records, ${ROWS_PER_TRANSACTION} rows each, ${MAP_CONCURRENCY} in flight (context) | ${f(r.rawTransactionRowsPerSecond)} rows/s (${f(r.rawTransactionRowsPerSecond / r.rawItemsPerSecond, 2)} of raw) |`,
    `| import end to end, ${r.rows} rows | ${f(r.endToEndMs / 1000, 1)} s = ${f(r.endToEndRowsPerSecond)} rows/s (${f(r.endToEndRowsPerSecond / r.rawItemsPerSecond, 2)} of raw) |`,
    `| import status / counts | ${String(r.status)} ${JSON.stringify(r.counts)} |`,
    `| validator, ${r.rows} rows | ${f(r.validate.ms / 1000, 1)} s, peak RSS ${f(r.validate.maxRssMb)} MB (after module load ${f(r.validate.rssAfterLoadMb)} MB) |`,
    `| validator, ${CATALOGUE} rows | ${f(r.validateLarge.ms / 1000, 1)} s, peak RSS ${f(r.validateLarge.maxRssMb)} MB (after module load ${f(r.validateLarge.rssAfterLoadMb)} MB) |`,
    '',
    `Where the ${f(r.endToEndMs / 1000, 1)} s went (wall clock; Task times are their handlers' own, summed over calls that overlap):`,
    '',
    '| span | time |',
    '| --- | --- |',
    ...r.phases.map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '50000' } } });
  benchImports({ rows: Number(values.rows), log: (l) => process.stdout.write(`${l}\n`) }).then(
    (report) => process.stdout.write(`\n${report}\n`),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
