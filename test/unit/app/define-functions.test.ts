import { defineRoute } from '../../../functions/shared/http/route';
import { defineHttpFunctions, IDEMPOTENCY_TABLE } from '../../../lib/app/define-functions';

const route = (idempotent: boolean) =>
  defineRoute({
    method: 'POST',
    path: '/v1/things',
    summary: 'Make a thing',
    tags: ['things'],
    auth: { roles: ['customer'] },
    idempotent,
    success: { status: 201, description: 'Made' },
  });

describe('defineHttpFunctions', () => {
  it('gives the function of an idempotent route read-write access to the idempotency table, beside its own', () => {
    const [fn] = defineHttpFunctions('things', [
      {
        name: 'MakeThing',
        handler: 'make-thing',
        route: route(true),
        description: 'd',
        tables: { Things: 'write' },
      },
    ]);
    expect(fn?.tables).toEqual({ Things: 'write', [IDEMPOTENCY_TABLE]: 'readWrite' });
    expect(fn?.entry).toBe('functions/things/handlers/make-thing.ts');
  });

  it('gives other functions no access to it', () => {
    const [fn] = defineHttpFunctions('things', [
      {
        name: 'MakeThing',
        handler: 'make-thing',
        route: route(false),
        description: 'd',
        tables: { Things: 'write' },
      },
    ]);
    expect(fn?.tables).toEqual({ Things: 'write' });
  });
});
