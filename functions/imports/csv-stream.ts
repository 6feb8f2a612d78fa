/**
 * Reads an uploaded object as CSV records while it streams: bytes are checked to be UTF-8 (a BOM is
 * dropped) and counted, then parsed by csv-parse (quoted fields, CRLF or LF). Never holds the file.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_FILE_BYTES } from './domain';

/** The file as a whole is unusable (the import is REJECTED with this message). */
export class UnusableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableFileError';
  }
}

class Utf8Text extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private bytes = 0;

  constructor() {
    super({ decodeStrings: true, readableObjectMode: false });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > MAX_FILE_BYTES) return done(tooLarge());
    try {
      done(null, this.decoder.decode(chunk, { stream: true }));
    } catch {
      done(notUtf8());
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      done(null, this.decoder.decode());
    } catch {
      done(notUtf8());
    }
  }
}

const notUtf8 = () =>
  new UnusableFileError('The file is not UTF-8 text: save it as "CSV UTF-8" and upload it again.');
export const tooLarge = () =>
  new UnusableFileError(`The file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB.`);

export interface CsvRecord {
  readonly cells: string[];
  /** Line of the file where the record starts (1-based; blank lines count). */
  readonly line: number;
}

/** The records of the object, in order; an unreadable file throws `UnusableFileError`. */
export async function* csvRecords(body: Readable): AsyncGenerator<CsvRecord> {
  // Loaded on first use, not at init (ADR 10): 29 KiB the cold start does not evaluate.
  const { parse, CsvError } = await import('csv-parse');
  const parser = parse({
    relax_column_count: true,
    // A quote inside an unquoted field (=HYPERLINK("x")) is kept as it is, as spreadsheets read it.
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    record_delimiter: ['\r\n', '\n'],
    // One record of a 10 MB file may not be the file: a runaway quote is caught here rather than at the end.
    max_record_size: 64 * 1024,
  });
  const done = pipeline(body, new Utf8Text(), parser).catch((error: unknown) => error);
  let lines = 0;
  let empty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const line = lines + (info.empty_lines - empty) + 1;
      lines = info.lines;
      empty = info.empty_lines;
      yield { cells: record, line };
    }
  } catch (error) {
    throw asUnusable((await done) ?? error, CsvError);
  } finally {
    parser.destroy();
  }
  const failure = await done;
  if (failure) throw asUnusable(failure, CsvError);
}

function asUnusable(error: unknown, csvError: abstract new (...args: never[]) => Error): unknown {
  if (error instanceof UnusableFileError) return error;
  if (error instanceof csvError) {
    const lines = (error as { lines?: unknown }).lines;
    return new UnusableFileError(
      `The file is not valid CSV${typeof lines === 'number' ? ` (line ${lines})` : ''}: ${csvProblem(String((error as { code?: unknown }).code))}.`,
    );
  }
  return error;
}

function csvProblem(code: string): string {
  if (code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed';
  if (code === 'CSV_MAX_RECORD_SIZE') return 'a record is longer than 64 KB (an unclosed quote?)';
  if (code.includes('QUOTE')) return 'a quote is misplaced';
  return 'it cannot be parsed';
}
