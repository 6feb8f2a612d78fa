import * as z from 'zod/mini';
import { ValidationError } from '../../../functions/shared/errors';
import { decodeCursor, encodeCursor, paginationQuery } from '../../../functions/shared/http/cursor';
import { callerFromEvent, parseGroups } from '../../../functions/shared/http/identity';
import { buildProxyEvent } from '../../../local/gateway/proxy-event';

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

describe('callerFromEvent', () => {
  const event = (claims: Record<string, string> | undefined) =>
    buildProxyEvent({ method: 'GET', resource: '/v1/me', path: '/v1/me', claims });

  it('is nobody without claims or without a sub', () => {
    expect(callerFromEvent(event(undefined))).toBeUndefined();
    expect(callerFromEvent(event({ username: 'u', 'cognito:groups': 'admin' }))).toBeUndefined();
    expect(callerFromEvent(event({ sub: '', 'cognito:groups': 'admin' }))).toBeUndefined();
  });

  it.each([
    ['no cognito:groups claim', {}],
    ['an empty groups string', { 'cognito:groups': '' }],
    ['only unknown groups', { 'cognito:groups': 'root,Admin,admins' }],
    ['an empty bracket list', { 'cognito:groups': '[]' }],
  ])('has no role with %s', (_case, claims) => {
    expect(callerFromEvent(event({ sub: 's', username: 's', ...claims }))?.roles).toEqual([]);
  });

  it('falls back to the sub when the username claim is missing or empty', () => {
    expect(callerFromEvent(event({ sub: 's' }))?.username).toBe('s');
    expect(callerFromEvent(event({ sub: 's', username: '' }))?.username).toBe('s');
  });
});

describe('cursors', () => {
  const key = () => z.strictObject({ pk: z.literal('CATEGORY#a'), sk: z.string() });

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

describe('the limit query parameter', () => {
  const query = z.strictObject(paginationQuery());

  it.each([
    [{}, 20],
    [{ limit: '1' }, 1],
    [{ limit: '100' }, 100],
  ])('reads %p as %p', (raw, limit) => {
    expect(query.parse(raw).limit).toBe(limit);
  });

  it.each(['0', '101', '1e2', '0x10', ' 7', '7.0', '-1', 'abc', ''])('refuses %p', (limit) => {
    expect(query.safeParse({ limit }).success).toBe(false);
  });
});
