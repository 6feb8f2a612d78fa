import { RouteTable } from '../../../local/gateway/routes';

const table = new RouteTable([
  { method: 'GET', path: '/v1/categories', value: 'ListCategories' },
  { method: 'GET', path: '/v1/categories/{categoryId}/products', value: 'ListCategoryProducts' },
  { method: 'GET', path: '/v1/products/{productId}', value: 'GetProduct' },
  { method: 'GET', path: '/v1/products/featured', value: 'FeaturedProducts' },
  { method: 'POST', path: '/v1/admin/products', value: 'CreateProduct' },
  { method: 'PATCH', path: '/v1/admin/products/{productId}', value: 'UpdateProduct' },
  { method: 'DELETE', path: '/v1/admin/products/{productId}', value: 'DeleteProduct' },
  { method: 'GET', path: '/v1/things/{thingId}/a', value: 'ThingA' },
  { method: 'GET', path: '/v1/things/special/b', value: 'SpecialB' },
]);

describe('RouteTable', () => {
  it('matches a literal path', () => {
    expect(table.match('GET', '/v1/categories')).toEqual({
      kind: 'route',
      value: 'ListCategories',
      resource: '/v1/categories',
      pathParameters: {},
    });
  });

  it('extracts path parameters by their template names', () => {
    const match = table.match('GET', '/v1/categories/01J9ZX/products');
    expect(match).toMatchObject({
      kind: 'route',
      value: 'ListCategoryProducts',
      resource: '/v1/categories/{categoryId}/products',
      pathParameters: { categoryId: '01J9ZX' },
    });
  });

  it('lets a literal segment win over a path variable at the same level', () => {
    expect(table.match('GET', '/v1/products/featured')).toMatchObject({ value: 'FeaturedProducts' });
    expect(table.match('GET', '/v1/products/01J9ZX')).toMatchObject({
      value: 'GetProduct',
      pathParameters: { productId: '01J9ZX' },
    });
  });

  it('falls back to the variable when the literal branch leads nowhere', () => {
    expect(table.match('GET', '/v1/things/special/a')).toMatchObject({
      value: 'ThingA',
      pathParameters: { thingId: 'special' },
    });
    expect(table.match('GET', '/v1/things/special/b')).toMatchObject({ value: 'SpecialB' });
  });

  it('percent-decodes path parameters', () => {
    expect(table.match('GET', '/v1/products/a%20b%2Fc')).toMatchObject({
      pathParameters: { productId: 'a b/c' },
    });
  });

  it('treats a trailing slash as the same resource', () => {
    expect(table.match('GET', '/v1/categories/')).toMatchObject({ kind: 'route', value: 'ListCategories' });
  });

  it('matches methods case-insensitively but paths case-sensitively', () => {
    expect(table.match('get', '/v1/categories')).toMatchObject({ kind: 'route' });
    expect(table.match('GET', '/V1/categories')).toEqual({ kind: 'none' });
  });

  it('reports a known resource without the method, with the methods it has', () => {
    const match = table.match('PUT', '/v1/admin/products/01J9ZX');
    expect(match).toEqual({
      kind: 'resource',
      resource: '/v1/admin/products/{productId}',
      methods: ['PATCH', 'DELETE'],
    });
  });

  it('knows the prefixes of routes as resources without methods (CDK creates them)', () => {
    expect(table.match('GET', '/v1')).toEqual({ kind: 'resource', resource: '/v1', methods: [] });
    expect(table.match('OPTIONS', '/v1/admin')).toEqual({
      kind: 'resource',
      resource: '/v1/admin',
      methods: [],
    });
    expect(table.match('GET', '/')).toEqual({ kind: 'resource', resource: '/', methods: [] });
  });

  it('prefers a route behind a variable over a route-less literal prefix', () => {
    const t = new RouteTable([
      { method: 'GET', path: '/v1/{id}/x', value: 'X' },
      { method: 'GET', path: '/v1/admin/y', value: 'Y' },
    ]);
    expect(t.match('GET', '/v1/admin/x')).toMatchObject({
      kind: 'route',
      value: 'X',
      pathParameters: { id: 'admin' },
    });
    expect(t.match('GET', '/v1/admin')).toMatchObject({ kind: 'resource', resource: '/v1/admin' });
  });

  it('does not match unknown paths, extra segments or empty segments', () => {
    expect(table.match('GET', '/v2/categories')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/v1/products/01J9ZX/extra')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/v1/products//')).toMatchObject({
      kind: 'resource',
      resource: '/v1/products',
    });
    expect(table.match('GET', '/v1//categories')).toEqual({ kind: 'none' });
    expect(table.match('GET', '/v1/products/%E0%A4%A')).toEqual({ kind: 'none' });
  });

  it('refuses sibling path variables with different names, as API Gateway does', () => {
    expect(
      () =>
        new RouteTable([
          { method: 'GET', path: '/v1/orders/{orderId}', value: 1 },
          { method: 'DELETE', path: '/v1/orders/{id}', value: 2 },
        ]),
    ).toThrow(/Conflicting path variables \{orderId\} and \{id\}/);
  });

  it('refuses duplicate routes and partial-segment variables', () => {
    expect(
      () =>
        new RouteTable([
          { method: 'GET', path: '/v1/a', value: 1 },
          { method: 'GET', path: '/v1/a/', value: 2 },
        ]),
    ).toThrow(/Duplicate route GET/);
    expect(() => new RouteTable([{ method: 'GET', path: '/v1/file.{ext}', value: 1 }])).toThrow(
      /Unsupported path segment/,
    );
  });

  it('lists its resources with their methods', () => {
    expect(table.resources()).toContainEqual({
      resource: '/v1/admin/products/{productId}',
      methods: ['PATCH', 'DELETE'],
    });
  });
});
