/**
 * The role-by-route matrix, derived from the app definition: it must hold for the real app (lib/app/app.ts)
 * whatever routes are added, and for the fixture that exercises the rendering.
 */
import { isPublic, ROLES } from '../../functions/shared/http/route';
import { app as realApp } from '../../lib/app/app';
import { isHttpFunction, type AppDef } from '../../lib/app/types';
import { ACCESS_TOKEN_SCOPE } from '../../lib/app/gateway';
import { IDEMPOTENCY_TABLE } from '../../lib/app/define-functions';
import { httpFunctions } from '../../lib/stacks/api-stack';
import { fixtureApp } from './fixtures/app';
import { type RenderedMethod, renderedMethods } from './fixtures/api-routes';
import { synth } from './fixtures/synth';

const routeKey = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;

describe.each([
  ['the real app', realApp],
  ['the fixture app', fixtureApp],
] as [string, AppDef][])('routes of %s', (_label, definition) => {
  const routes = httpFunctions(definition.functions);
  let rendered: Map<string, RenderedMethod>;
  beforeAll(() => {
    rendered = renderedMethods(synth('dev', definition).templates.api);
  });

  it('gives every function a known trigger kind, and a route exactly to the HTTP ones', () => {
    const kinds = ['http', 'schedule', 'queue', 's3', 'stateMachine', 'stream'];
    expect(
      definition.functions.filter((fn) => !kinds.includes(fn.trigger.kind)).map((fn) => fn.name),
    ).toEqual([]);
    expect(routes.map(({ fn }) => fn.name).sort()).toEqual(
      definition.functions
        .filter((fn) => fn.trigger.kind === 'http')
        .map((fn) => fn.name)
        .sort(),
    );
    expect(definition.functions.filter((fn) => 'route' in fn.trigger && fn.trigger.kind !== 'http')).toEqual(
      [],
    );
  });

  it('has unique function names', () => {
    const names = definition.functions.map((fn) => fn.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('puts every route under /v1 with a well-formed path', () => {
    const bad = routes
      .map(({ route }) => route)
      .filter((r) => !/^\/v1(\/([A-Za-z0-9._~-]+|\{[a-zA-Z][a-zA-Z0-9]*\}))+$/.test(r.path))
      .map(routeKey);
    expect(bad).toEqual([]);
  });

  it('declares each method + path once across the app', () => {
    const keys = routes.map(({ route }) => routeKey(route));
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('lets at least one known role call every non-public route', () => {
    const bad = routes
      .filter(({ route }) => !isPublic(route.auth))
      .filter(({ route }) => {
        const roles = 'roles' in route.auth ? route.auth.roles : [];
        return roles.length === 0 || roles.some((r) => !(ROLES as readonly string[]).includes(r));
      })
      .map(({ fn }) => fn.name);
    expect(bad).toEqual([]);
  });

  /** Admin routes that also serve a store's own staff by their contract (the handler checks the store). */
  const STORE_REVIEW_ROUTES = new Set(['POST /v1/admin/exchanges/{exchangeId}/decision']);

  it('lets only admins call admin routes (and store staff the store review routes), never publicly', () => {
    const bad = routes
      .filter(({ route }) => route.path.includes('/admin/'))
      .filter(({ route }) => {
        if (isPublic(route.auth)) return true;
        const allowed = STORE_REVIEW_ROUTES.has(routeKey(route)) ? ['admin', 'store_staff'] : ['admin'];
        return [...route.auth.roles].sort().join() !== allowed.join();
      })
      .map(({ route }) => routeKey(route));
    expect(bad).toEqual([]);
  });

  it('makes idempotent routes protected POSTs whose function may use the idempotency table', () => {
    const bad = definition.functions
      .filter(isHttpFunction)
      .filter((fn) => fn.trigger.route.idempotent)
      .filter(
        (fn) =>
          isPublic(fn.trigger.route.auth) ||
          fn.trigger.route.method !== 'POST' ||
          fn.tables?.[IDEMPOTENCY_TABLE] !== 'readWrite',
      )
      .map((fn) => fn.name);
    expect(bad).toEqual([]);
  });

  it('renders exactly the declared routes as API methods', () => {
    expect([...rendered.keys()].sort()).toEqual(routes.map(({ route }) => routeKey(route)).sort());
  });

  it('puts the Cognito authorizer (access-token scope) exactly on the non-public routes', () => {
    for (const { route } of routes) {
      const method = rendered.get(routeKey(route));
      if (isPublic(route.auth)) {
        expect({ route: routeKey(route), ...method }).toEqual({
          route: routeKey(route),
          authorizationType: 'NONE',
          authorizationScopes: undefined,
          authorizerId: undefined,
        });
      } else {
        expect({ route: routeKey(route), ...method }).toEqual({
          route: routeKey(route),
          authorizationType: 'COGNITO_USER_POOLS',
          authorizationScopes: [ACCESS_TOKEN_SCOPE],
          authorizerId: expect.anything(),
        });
      }
    }
  });
});
