import { fromProxyResult, gatewayResponses } from '../../../local/gateway/responses';
import { parseQuery } from '../../../local/gateway/server';
import { prettyLogLine } from '../../../local/runtime/runner';

const mapped = (result: unknown) => fromProxyResult(JSON.stringify(result));

describe('Lambda proxy result → HTTP', () => {
  it('maps status, headers and body', () => {
    const res = mapped({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-a': 1 },
      body: '{"id":1}',
    });
    expect(res).toEqual({
      ok: true,
      answer: {
        status: 201,
        headers: { 'content-type': ['application/json'], 'x-a': ['1'] },
        body: Buffer.from('{"id":1}'),
      },
    });
  });

  it('defaults the content type to application/json, as a REST API does', () => {
    const res = mapped({ statusCode: 204 });
    expect(res.ok && res.answer.headers).toEqual({ 'Content-Type': ['application/json'] });
    expect(res.ok && res.answer.body.length).toBe(0);
  });

  it('merges multiValueHeaders over headers of the same name', () => {
    const res = mapped({
      statusCode: 200,
      headers: { 'Set-Cookie': 'x=0', 'X-One': 'a' },
      multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'] },
      body: '',
    });
    expect(res.ok && res.answer.headers).toMatchObject({ 'set-cookie': ['a=1', 'b=2'], 'X-One': ['a'] });
    expect(res.ok && res.answer.headers['Set-Cookie']).toBeUndefined();
  });

  it('decodes a base64 body', () => {
    const res = mapped({
      statusCode: 200,
      body: Buffer.from([0, 1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(res.ok && [...res.answer.body]).toEqual([0, 1, 2]);
  });

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['no status', { body: '' }],
    ['a status out of range', { statusCode: 99 }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['an unknown field', { statusCode: 200, body: '', cookies: ['a=1'] }],
    ['a non-list multi-value header', { statusCode: 200, multiValueHeaders: { a: 'b' } }],
    ['a header name that is not an HTTP token', { statusCode: 200, headers: { 'bad name': 'v' } }],
    ['a header value with a line break', { statusCode: 200, headers: { 'x-a': 'v\r\nx-b: w' } }],
    ['a header value beyond Latin-1', { statusCode: 200, headers: { 'x-a': 'caf\u0113' } }],
    [
      'a multi-value header value beyond Latin-1',
      { statusCode: 200, multiValueHeaders: { 'x-a': ['ok', '\u20b9'] } },
    ],
  ])('calls a result with %s malformed', (_label, result) => {
    expect(mapped(result).ok).toBe(false);
  });

  it('renders gateway errors as the deployed API does: problem+json with CORS headers', () => {
    const missing = gatewayResponses.missingAuthenticationToken('req-1');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Missing Authentication Token',
      requestId: 'req-1',
    });
    expect(missing.headers).toMatchObject({
      'Content-Type': ['application/problem+json'],
      'Access-Control-Allow-Origin': ['*'],
      'x-amzn-ErrorType': ['MissingAuthenticationTokenException'],
    });
  });

  it("keeps API Gateway's message in the detail", () => {
    const detail = (a: { body: Buffer }) => JSON.parse(a.body.toString()).detail;
    expect(detail(gatewayResponses.unauthorized('r'))).toBe('Unauthorized');
    expect(detail(gatewayResponses.unauthorized('r', 'The incoming token has expired'))).toBe(
      'The incoming token has expired',
    );
    expect(detail(gatewayResponses.requestTooLarge('r', 10))).toBe('HTTP content length exceeded 10 bytes.');
    expect(detail(gatewayResponses.requestTooLong('r'))).toBe('Request Too Long');
  });

  it("keeps API Gateway's own status for DEFAULT_5XX answers, without a status in the body", () => {
    const bad = gatewayResponses.badGateway('r');
    expect(bad.status).toBe(502);
    expect(JSON.parse(bad.body.toString())).toEqual({
      type: 'about:blank',
      title: 'Server Error',
      detail: 'Internal server error',
      requestId: 'r',
    });
  });
});

describe('query strings', () => {
  it('keeps every value of a repeated name, percent-decoded, with + left alone', () => {
    expect(parseQuery('limit=10&tag=a&tag=b%20c&q=x+y&flag&=v')).toEqual({
      limit: ['10'],
      tag: ['a', 'b c'],
      q: ['x+y'],
      flag: [''],
      '': ['v'],
    });
  });

  it('keeps a value with a broken escape as it came', () => {
    expect(parseQuery('cursor=%E0%A4%A')).toEqual({ cursor: ['%E0%A4%A'] });
  });

  it('keeps names that are also Object.prototype properties as plain parameters', () => {
    const query = parseQuery('__proto__=a&constructor=b&toString=c&toString=d&hasOwnProperty');
    expect(Object.entries(query)).toEqual([
      ['__proto__', ['a']],
      ['constructor', ['b']],
      ['toString', ['c', 'd']],
      ['hasOwnProperty', ['']],
    ]);
  });
});

describe('function log lines', () => {
  it('shortens a Powertools JSON line to level, message and the extra keys', () => {
    const line = JSON.stringify({
      level: 'INFO',
      message: 'Request refused',
      timestamp: '2025-11-27T13:36:00.000Z',
      service: 'catalog',
      cold_start: true,
      function_request_id: 'r-1',
      status: 404,
    });
    expect(prettyLogLine('GetProduct', line)).toBe('[GetProduct] INFO Request refused {"status":404}');
  });

  it('leaves out CloudWatch EMF metric lines', () => {
    expect(
      prettyLogLine('GetProduct', JSON.stringify({ _aws: { CloudWatchMetrics: [] }, ColdStart: 1 })),
    ).toBeUndefined();
  });

  it('passes other lines through with the function name', () => {
    expect(prettyLogLine('GetProduct', 'plain text')).toBe('[GetProduct] plain text');
  });
});
