/**
 * The validator's second pass with in-memory ports: catalogue look-ups and chunk writes run while the
 * stream reads on (bounded), yet the chunks are the file's rows in order, the first errors are the first by
 * line, and a chunk that cannot be written fails the validation (FAILED, nothing started).
 */
import { Readable } from 'node:stream';
import { ulid } from 'ulid';
import { CHUNK_ROWS, type ImportRecord } from '../../../functions/imports/domain';
import type { ValidatorDeps } from '../../../functions/imports/ports';
import { validateUpload } from '../../../functions/imports/use-cases/validate';

const STORE = ulid();
const MERCHANT = 'merchant-1';

function fakes(csv: string, opts: { failPut?: (key: string) => boolean; slowLookups?: boolean } = {}) {
  const objects = new Map<string, unknown>();
  const records = new Map<string, ImportRecord>();
  const started: unknown[] = [];
  let lookupsInFlight = 0;
  let maxLookupsInFlight = 0;
  const deps: ValidatorDeps = {
    now: () => new Date().toISOString(),
    newId: () => ulid(),
    imports: {
      create: async () => undefined,
      get: async (id) => records.get(id),
      listByStore: async () => ({ items: [] }),
      async claim(request) {
        const record: ImportRecord = {
          importId: request.importId,
          storeId: request.storeId,
          merchantId: request.merchantId,
          objectKey: request.objectKey,
          status: 'VALIDATING',
          counts: { rows: 0, valid: 0, applied: 0, superseded: 0, rejected: 0 },
          errors: [],
          etag: request.etag,
          sequence: request.sequence,
          createdAt: request.now,
        };
        records.set(record.importId, record);
        return { claimed: true, record };
      },
      async finishValidation(importId, _etag, outcome) {
        records.set(importId, { ...records.get(importId)!, ...outcome });
      },
      complete: async () => undefined,
      async fail(importId, reason) {
        records.set(importId, { ...records.get(importId)!, status: 'FAILED', reason });
      },
    },
    stores: { getAccess: async () => ({ storeId: STORE, merchantId: MERCHANT, staff: {} }) as never },
    skus: {
      async productIds(skus) {
        lookupsInFlight++;
        maxLookupsInFlight = Math.max(maxLookupsInFlight, lookupsInFlight);
        // Later batches answer first when slow: the order of answers must not matter.
        if (opts.slowLookups) await new Promise((r) => setTimeout(r, skus[0]!.endsWith('1') ? 5 : 1));
        lookupsInFlight--;
        return new Map(skus.filter((s) => !s.startsWith('UNKNOWN')).map((s) => [s, `p-${s}`]));
      },
    },
    objects: {
      open: async () => ({ body: Readable.from([csv]), size: Buffer.byteLength(csv), etag: 'etag' }),
      async putJson(key, value) {
        await new Promise((r) => setTimeout(r, 1));
        if (opts.failPut?.(key)) throw new Error('S3 is down');
        objects.set(key, value);
      },
      getJson: async (key) => objects.get(key),
      putText: async () => undefined,
    },
    executions: {
      async start(_name, input) {
        started.push(input);
        return { existed: false };
      },
    },
  };
  return { deps, objects, records, started, maxLookups: () => maxLookupsInFlight };
}

/** 3,500 rows: every 100th SKU unknown to the catalogue, and a bad quantity on line 2,999. */
function file(): string {
  const lines = ['sku,quantity'];
  for (let i = 0; i < 3500; i++) {
    const line = i + 2;
    const sku =
      i % 100 === 50 ? `UNKNOWN-${String(i).padStart(5, '0')}` : `SKU-${String(i).padStart(5, '0')}`;
    lines.push(`${sku},${line === 2999 ? 'x' : i % 7}`);
  }
  return lines.join('\n') + '\n';
}

const upload = () => ({
  key: `imports/${MERCHANT}/${STORE}/${ulid()}.csv`,
  etag: 'etag',
  size: 1000,
  uploadedAt: new Date().toISOString(),
});

describe('the second pass', () => {
  it('writes the valid rows in file order and records the first errors by line', async () => {
    const { deps, objects, records, started, maxLookups } = fakes(file(), { slowLookups: true });
    const object = upload();

    const outcome = await validateUpload(deps, object);

    expect(outcome.outcome).toBe('started');
    const importId = (outcome as { importId: string }).importId;
    const record = records.get(importId)!;
    expect(record).toMatchObject({
      status: 'APPLYING',
      counts: { rows: 3500, valid: 3464, rejected: 36 },
      chunks: 4,
      errorChunks: 1,
    });
    const rows = Array.from(
      { length: 4 },
      (_, i) =>
        (
          objects.get(`chunks/${importId}/rows-${String(i + 1).padStart(5, '0')}.json`) as {
            rows: { line: number }[];
          }
        ).rows,
    );
    expect(rows.map((r) => r.length)).toEqual([CHUNK_ROWS, CHUNK_ROWS, CHUNK_ROWS, 464]);
    const valid = rows.flat().map((r) => r.line);
    expect(valid).toEqual([...valid].sort((a, b) => a - b));
    expect(record.errors).toHaveLength(20);
    expect(record.errors.map((e) => e.line)).toEqual([...Array(20)].map((_, i) => 52 + i * 100));
    expect(maxLookups()).toBeGreaterThan(10); // more than one batch's look-ups in flight
    expect(started).toHaveLength(1);
  });

  it('gives the same chunk objects for the same file every time', async () => {
    const csv = file();
    const first = fakes(csv, { slowLookups: true });
    const second = fakes(csv);
    const object = upload();
    await validateUpload(first.deps, object);
    await validateUpload(second.deps, object);
    expect([...second.objects]).toEqual([...first.objects]);
  });

  it('fails the validation when a chunk cannot be written, and starts nothing', async () => {
    const { deps, records, started } = fakes(file(), { failPut: (key) => key.endsWith('rows-00002.json') });

    const outcome = await validateUpload(deps, upload());

    expect(outcome.outcome).toBe('failed');
    expect(records.get((outcome as { importId: string }).importId)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('internal error'),
    });
    expect(started).toEqual([]);
  });
});
