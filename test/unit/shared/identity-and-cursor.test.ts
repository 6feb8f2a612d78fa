import { z } from 'zod';
import { ValidationError } from '../../../functions/shared/errors';
import { decodeCursor, encodeCursor } from '../../../functions/shared/http/cursor';
import { parseGroups } from '../../../functions/shared/http/identity';

describe('parseGroups', () => {
  it.each([
    ['admin,customer', ['admin', 'customer']],
    ['[admin customer]', ['admin', 'customer']],
    [['merchant'], ['merchant']],
    ['customer,hacker,customer', ['customer']],
    [undefined, []],
  ])('reads %p as %p', (raw, roles) => {
    expect(parseGroups(raw)).toEqual(roles);
  });
});

describe('cursors', () => {
  const key = z.strictObject({ pk: z.literal('CATEGORY#a'), sk: z.string() });

  it('round-trips a key within its scope', () => {
    const cursor = encodeCursor({ pk: 'CATEGORY#a', sk: 'x' }, 'a');
    expect(decodeCursor(cursor, 'a', key)).toEqual({ pk: 'CATEGORY#a', sk: 'x' });
  });

  it('passes an absent cursor through', () => {
    expect(decodeCursor(undefined, 'a', key)).toBeUndefined();
  });

  it.each([
    ['garbage', 'not base64 json'],
    [encodeCursor({ pk: 'CATEGORY#a', sk: 'x' }, 'b'), 'another scope'],
    [encodeCursor({ pk: 'CATEGORY#b', sk: 'x' }, 'a'), 'a key outside the scope'],
    [Buffer.from('{"s":"a","k":{"pk":"CATEGORY#a"}}').toString('base64url'), 'an incomplete key'],
  ])('refuses %s (%s) with a 400', (cursor) => {
    expect(() => decodeCursor(cursor, 'a', key)).toThrow(ValidationError);
  });
});
