import * as z from 'zod/mini';
import { ValidationError } from '../errors';
import { once } from '../once';

/**
 * Opaque pagination cursors. A cursor carries the last evaluated key and the scope of the listing it
 * came from (e.g. the category id, or the caller's user id); decoding checks both, so a cursor edited or
 * taken from another listing is a 400 and can never start a query in someone else's partition.
 */
// Built on the first cursor a function decodes: a record of unknowns is a kind of schema no route uses.
const envelope = once(() => z.strictObject({ s: z.string(), k: z.record(z.string(), z.unknown()) }));

export function encodeCursor(lastKey: Record<string, unknown>, scope: string): string {
  return Buffer.from(JSON.stringify({ s: scope, k: lastKey }), 'utf8').toString('base64url');
}

export function decodeCursor<K>(
  cursor: string | undefined,
  scope: string,
  /** The key's schema, built on first use (`once`): only requests with a cursor need it. */
  keySchema: () => z.core.$ZodType<K>,
): K | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('The cursor is not valid for this listing.', [
      { in: 'query', field: 'cursor', message: 'Invalid cursor; use the nextCursor of a previous page' },
    ]);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = envelope().safeParse(json);
  if (!parsed.success || parsed.data.s !== scope) throw invalid();
  const key = z.safeParse(keySchema(), parsed.data.k);
  if (!key.success) throw invalid();
  return key.data;
}

/** The page size of a list request without `limit` (also what the cache warm-up pre-loads). */
export const DEFAULT_PAGE_LIMIT = 20;

/** `?limit=&cursor=` as every list route takes them: limit 1..100, default 20. */
export const paginationQuery = () => ({
  // Plain digits only: Number() would also take "1e2", "0x10" or " 7 ".
  limit: z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'Expected a whole number from 1 to 100')),
        z.transform(Number),
      ),
      z.number().check(z.int(), z.gte(1), z.lte(100)),
    ),
    DEFAULT_PAGE_LIMIT,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const pageSchema = <T extends z.core.$ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });
