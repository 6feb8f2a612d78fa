import { functionEnvironment, type ResolvedResources } from '../../../lib/app/env';
import type { FunctionDef } from '../../../lib/app/types';
import { parseRedisUrl } from '../../../local/platform';

const resources: ResolvedResources = {
  stage: 'dev',
  tableNames: { Catalog: 'catalog-table' },
  bucketNames: {},
  queueUrls: { OrderEvents: 'https://sqs.ap-south-1.amazonaws.com/1/order-events' },
  userPool: { id: 'pool', clientId: 'client' },
  autoConfirmSignUp: true,
  logLevel: 'INFO',
  callerTokens: { issuer: 'https://cognito-idp.ap-south-1.amazonaws.com/pool', jwks: '{"keys":[]}' },
  cache: {
    endpoint: 'cache.example:6390',
    tls: true,
    authSecretArn: 'arn:aws:secretsmanager:ap-south-1:1:secret:x',
  },
};
const fn = (extra: Partial<FunctionDef> = {}): FunctionDef => ({
  name: 'F',
  service: 'catalog',
  entry: 'x.ts',
  description: 'f',
  trigger: { kind: 'schedule', expression: 'rate(1 hour)', description: 'x' },
  tables: { Catalog: 'read' },
  ...extra,
});
const cacheVars = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('CACHE_')));

describe('functionEnvironment and the cache', () => {
  it('gives a function that declares the cache its endpoint, TLS and AUTH secret', () => {
    expect(cacheVars(functionEnvironment(fn({ cache: true }), resources))).toEqual({
      CACHE_ENDPOINT: 'cache.example:6390',
      CACHE_TLS: 'true',
      CACHE_AUTH_SECRET_ARN: 'arn:aws:secretsmanager:ap-south-1:1:secret:x',
    });
  });

  it('gives nothing to a function that does not declare it', () => {
    expect(cacheVars(functionEnvironment(fn(), resources))).toEqual({});
  });

  it('gives nothing when the stage has no cache', () => {
    expect(cacheVars(functionEnvironment(fn({ cache: true }), { ...resources, cache: undefined }))).toEqual(
      {},
    );
  });

  it('gives a local URL without TLS or AUTH locally', () => {
    const local = { ...resources, cache: { endpoint: 'redis://127.0.0.1:6400', tls: false } };
    expect(cacheVars(functionEnvironment(fn({ cache: true }), local))).toEqual({
      CACHE_ENDPOINT: 'redis://127.0.0.1:6400',
      CACHE_TLS: 'false',
    });
  });
});

describe('functionEnvironment and queues', () => {
  it('gives a producer the URL of each queue it sends to, and nobody else any', () => {
    expect(functionEnvironment(fn({ queues: { OrderEvents: 'send' } }), resources)).toMatchObject({
      ORDER_EVENTS_QUEUE_URL: 'https://sqs.ap-south-1.amazonaws.com/1/order-events',
    });
    expect(Object.keys(functionEnvironment(fn(), resources)).filter((k) => k.endsWith('_QUEUE_URL'))).toEqual(
      [],
    );
  });

  it('fails on a queue the resources do not have', () => {
    expect(() => functionEnvironment(fn({ queues: { Missing: 'send' } }), resources)).toThrow(
      'No physical name for resource Missing',
    );
  });
});

describe('ZEPTO_REDIS_URL', () => {
  it('takes redis:// and rediss:// URLs, and nothing when unset or empty', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(parseRedisUrl('rediss://cache.example:6390')).toBe('rediss://cache.example:6390');
    expect(parseRedisUrl(undefined)).toBeUndefined();
    expect(parseRedisUrl('')).toBeUndefined();
  });

  it.each(['127.0.0.1:6379', 'http://127.0.0.1:6379', 'not a url'])('refuses %s', (value) => {
    expect(() => parseRedisUrl(value)).toThrow(/ZEPTO_REDIS_URL/);
  });
});
