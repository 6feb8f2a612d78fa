/** The inventory CSV's rules: header, rows, keys, ids, the report's formula neutralising, the stream reader. */
import { Readable } from 'node:stream';
import {
  checkRow,
  duplicateReason,
  isBlankRow,
  isRejected,
  parseHeader,
} from '../../../functions/imports/csv-rules';
import { csvRecords, UnusableFileError } from '../../../functions/imports/csv-stream';
import {
  derivedImportId,
  executionName,
  finalStatus,
  importSequence,
  mayImport,
  mayReadImport,
  NO_COUNTS,
  parseObjectKey,
  reportKeyOf,
  ULID_PATTERN,
  type ImportRecord,
} from '../../../functions/imports/domain';
import { neutralise, reportLine } from '../../../functions/imports/report';

const header = (cells: string[]) => {
  const parsed = parseHeader(cells);
  if ('rejected' in parsed) throw new Error(parsed.rejected);
  return parsed.header;
};

describe('the header', () => {
  it('takes the columns in any order, trimmed and in any case', () => {
    expect(parseHeader([' Quantity', 'REASON ', 'sku'])).toEqual({
      header: { sku: 2, quantity: 0, reason: 1, width: 3 },
    });
    expect(parseHeader(['sku', 'quantity'])).toEqual({ header: { sku: 0, quantity: 1, width: 2 } });
  });

  it.each([
    [['sku', 'quantity', 'price'], /Unknown column "price"/],
    [['sku', 'quantity', ''], /unnamed column 1/],
    [['sku', 'sku', 'quantity'], /"sku" appears twice/],
    [['sku'], /Missing required column: quantity/],
    [['reason'], /Missing required columns: sku, quantity/],
    [['', ''], /no header/],
  ])('refuses %j', (cells, reason) => {
    expect(parseHeader(cells)).toEqual({ rejected: expect.stringMatching(reason) });
  });
});

describe('a row', () => {
  const h = header(['sku', 'quantity', 'reason']);
  it.each([['-1'], ['1.5'], ['1e3'], ['100001'], ['0x10'], [' 1 2'], ['١٢']])(
    'refuses the quantity %j',
    (q) => {
      expect(checkRow(h, ['ABC-1', q, ''], 2)).toMatchObject({ line: 2, column: 'quantity' });
    },
  );

  it('refuses an empty quantity, a missing or malformed SKU, a long reason and control characters', () => {
    expect(checkRow(h, ['ABC-1', '', ''], 2)).toMatchObject({
      column: 'quantity',
      reason: 'The quantity is missing.',
    });
    expect(checkRow(h, ['', '1', ''], 2)).toMatchObject({ column: 'sku', reason: 'The SKU is missing.' });
    expect(checkRow(h, ['abc-1', '1', ''], 2)).toMatchObject({ column: 'sku' });
    expect(checkRow(h, ['ABC-1', '1', 'x'.repeat(201)], 2)).toMatchObject({ column: 'reason' });
    expect(checkRow(h, ['ABC-1', '1', 'a\u0007b'], 2)).toMatchObject({ column: 'reason' });
    expect(checkRow(h, ['ABC-1', '1'], 2)).toMatchObject({
      reason: 'Expected 3 cells as in the header, found 2.',
    });
  });

  it('takes 0 to 100,000, trimmed, with an optional reason', () => {
    expect(checkRow(h, [' ABC-1 ', ' 0 ', ''], 4)).toEqual({ line: 4, sku: 'ABC-1', quantity: 0 });
    expect(checkRow(h, ['ABC-1', '100000', ' recount '], 4)).toEqual({
      line: 4,
      sku: 'ABC-1',
      quantity: 100000,
      reason: 'recount',
    });
    expect(isRejected(checkRow(h, ['ABC-1', '7', ''], 4))).toBe(false);
  });

  it('names every line of a duplicated SKU, and counts only blank cells as a blank row', () => {
    expect(duplicateReason('ABC-1', [3, 7])).toContain('lines 3, 7');
    expect(duplicateReason('ABC-1', [1, 2, 3, 4, 5, 6, 7])).toContain('lines 1, 2, 3, 4, 5 and 2 more');
    expect(isBlankRow(['', ' ', ''])).toBe(true);
    expect(isBlankRow(['', '1'])).toBe(false);
  });
});

describe('the error report', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises %j', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
  });

  it('quotes what CSV needs quoted, after neutralising', () => {
    expect(
      reportLine({
        line: 3,
        column: 'sku',
        reason: 'Not a SKU, sorry',
        sku: '=HYPERLINK("x")',
        quantity: '1',
      }),
    ).toBe(`3,sku,"'=HYPERLINK(""x"")",1,"Not a SKU, sorry"\r\n`);
    expect(reportLine({ line: 4, reason: 'ok', sku: 'ABC-1', quantity: '-1' })).toBe("4,,ABC-1,'-1,ok\r\n");
  });
});

describe('keys and ids', () => {
  it('reads upload keys, ignores reports, refuses other shapes', () => {
    const store = '01JABCDEFGHJKMNPQRSTVWXYZ0';
    expect(parseObjectKey(`imports/m-1/${store}/x.csv`)).toEqual({
      kind: 'upload',
      merchantId: 'm-1',
      storeId: store,
      name: 'x',
    });
    expect(parseObjectKey(`imports/m-1/${store}/x.errors.csv`)).toEqual({ kind: 'report' });
    for (const key of [
      'imports/m-1/x.csv',
      `other/m-1/${store}/x.csv`,
      `imports/m-1/not-a-ulid/x.csv`,
      `imports/m 1/${store}/x.csv`,
    ])
      expect(parseObjectKey(key).kind).toBe('misplaced');
    expect(reportKeyOf(`imports/m/${store}/abc.csv`, 'ID')).toBe(`imports/m/${store}/ID.errors.csv`);
  });

  it('derives a ULID from the upload time and a digest, and execution names within Step Functions rules', () => {
    const id = derivedImportId(Date.UTC(2026, 0, 1), new Uint8Array(32).fill(7));
    expect(id).toMatch(ULID_PATTERN);
    expect(id).toBe(derivedImportId(Date.UTC(2026, 0, 1), new Uint8Array(32).fill(7)));
    const name = executionName(id, 'f'.repeat(64));
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(importSequence('2026-01-01T00:00:01Z', id) > importSequence('2026-01-01T00:00:00.999Z', id)).toBe(
      true,
    );
  });

  it('lets admins and the owner import, and only they or the uploader read an import', () => {
    const store = { storeId: 'S', merchantId: 'm1', staff: {} };
    const record = { merchantId: 'm0' } as ImportRecord;
    expect(mayImport({ userId: 'm1', username: 'm1', roles: ['merchant'] }, store)).toBe(true);
    expect(mayImport({ userId: 'm2', username: 'm2', roles: ['merchant'] }, store)).toBe(false);
    expect(mayImport({ userId: 'm1', username: 'm1', roles: ['customer'] }, store)).toBe(false);
    expect(mayImport({ userId: 'x', username: 'x', roles: ['admin'] }, store)).toBe(true);
    expect(mayReadImport({ userId: 'm0', username: 'm0', roles: ['merchant'] }, record, store)).toBe(true);
    expect(mayReadImport({ userId: 'm1', username: 'm1', roles: ['merchant'] }, record, store)).toBe(true);
    expect(mayReadImport({ userId: 'm2', username: 'm2', roles: ['merchant'] }, record, store)).toBe(false);
    expect(finalStatus({ ...NO_COUNTS, rejected: 1 })).toBe('PARTIALLY_APPLIED');
    expect(finalStatus(NO_COUNTS)).toBe('SUCCEEDED');
  });
});

describe('the stream reader', () => {
  const read = async (...chunks: Buffer[]) => {
    const out = [];
    for await (const r of csvRecords(Readable.from(chunks))) out.push(r);
    return out;
  };

  it('drops a BOM split across chunks, takes CRLF and LF, and gives each record its first line', async () => {
    const bytes = Buffer.from('\uFEFFsku,quantity\r\n\r\n"A\nB",1\nC,2\n', 'utf8');
    const records = await read(bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2));
    expect(records).toEqual([
      { cells: ['sku', 'quantity'], line: 1 },
      { cells: ['A\nB', '1'], line: 3 },
      { cells: ['C', '2'], line: 5 },
    ]);
  });

  it('decodes a multi-byte character split across chunks, and refuses bytes that are not UTF-8', async () => {
    const bytes = Buffer.from('sku,reason\nA,café\n', 'utf8');
    const at = bytes.indexOf(0xc3) + 1;
    expect((await read(bytes.subarray(0, at), bytes.subarray(at)))[1]!.cells).toEqual(['A', 'café']);
    await expect(read(Buffer.from('sku\nCAF\xc9\n', 'latin1'))).rejects.toThrow(UnusableFileError);
    await expect(read(Buffer.from('sku\n"open\n'))).rejects.toThrow(/not valid CSV/);
  });
});
