/**
 * A value built on its first use, then kept. For schemas that only some requests need (a cursor's key, a
 * queue message's shape): a schema built at import costs every function that imports the module V8's
 * first compile of its kind of zod code at init (docs/decisions/0010-lean-functions.md). Three lines, so
 * no library.
 */
export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
