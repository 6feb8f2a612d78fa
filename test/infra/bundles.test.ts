/**
 * What every function's artefact may contain, read from esbuild's metafile of the real bundle (the one CDK,
 * the local runtime and the benchmarks share): no zod locale but English and no classic zod, no other
 * service's code, no AWS SDK client the function did not declare a resource for, none of the SDK's
 * non-Lambda credential providers, the Redis client exactly in the functions that declare the cache (and
 * then on demand), the X-Ray SDK only in a chunk that is loaded on demand, and the admin routes' contracts
 * (`functions/<service>/admin-contracts.ts`) only in functions for admins. Sizes are
 * budgets on the code a cold start loads (the entry file and the chunks it imports statically).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { app } from '../../lib/app/app';
import type { FunctionDef } from '../../lib/app/types';
import { isPublic } from '../../functions/shared/http/route';
import { bundle, bytesLoadedAtInit, loadedAtInit } from '../../local/runtime/bundle';

const KiB = 1024;
/** Every HTTP function; the catalogue's public reads are on the hot path of every app screen. */
const BUDGET_BYTES = 500 * KiB;
const CATALOG_READ_BUDGET_BYTES = 450 * KiB;

/** The SDK clients each kind of declared resource allows (a function declaring none gets none). */
function allowedClients(fn: FunctionDef): Set<string> {
  const clients = new Set<string>();
  if (Object.keys(fn.tables ?? {}).length > 0) clients.add('client-dynamodb');
  if (Object.keys(fn.buckets ?? {}).length > 0) clients.add('client-s3');
  if (fn.userPool) clients.add('client-cognito-identity-provider');
  // An S3-triggered function reads the objects its events name.
  if (fn.trigger.kind === 's3') clients.add('client-s3');
  if (Object.keys(fn.stateMachines ?? {}).length > 0) clients.add('client-sfn');
  if (Object.keys(fn.queues ?? {}).length > 0) clients.add('client-sqs');
  // A queue consumer may change the visibility of its own messages (a back-off: functions/notifications).
  if (fn.trigger.kind === 'queue') clients.add('client-sqs');
  const providers = new Set(fn.notificationChannels ?? []);
  if (providers.has('push')) clients.add('client-sns');
  if (providers.has('email')) clients.add('client-sesv2');
  if (providers.has('whatsapp')) clients.add('client-socialmessaging');
  // The cache's AUTH token comes from Secrets Manager (functions/shared/cache/index.ts).
  if (fn.cache) clients.add('client-secrets-manager');
  // Declared secrets are read through Powertools Parameters (functions/payments/adapters/secrets.ts).
  if (Object.keys(fn.secrets ?? {}).length > 0) clients.add('client-secrets-manager');
  if ((fn.queueDepths ?? []).length > 0) clients.add('client-sqs');
  return clients;
}

/** The OpenSearch client and its SigV4 signer: only in functions that declare `search`, and only on demand. */
const OPENSEARCH_PACKAGES = /node_modules\/(@opensearch-project\/opensearch|aws4)\//;

const DENIED_CREDENTIAL_PACKAGES =
  /node_modules\/@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)\//;

let metafiles: Map<string, Metafile>;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'zepto-bundles-'));
  ({ metafiles } = await bundle(app.functions, { outDir }));
}, 300_000);
afterAll(() => rm(outDir, { recursive: true, force: true }));

/** The source files that put code into the given outputs (esbuild also lists files it read and dropped). */
const inputsOf = (meta: Metafile, outputs: string[] = Object.keys(meta.outputs)) =>
  outputs.flatMap((o) =>
    Object.entries(meta.outputs[o]?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );

describe.each(app.functions.map((fn) => [fn.name, fn] as const))('the artefact of %s', (_name, fn) => {
  const meta = () => metafiles.get(fn.name)!;

  it('carries no zod locale but English and no classic zod API', () => {
    const zod = inputsOf(meta()).filter((f) => f.includes('node_modules/zod/'));
    expect(zod.length).toBeGreaterThan(0);
    // The locales' index holds no messages; every bundled file carries the stack-trace hook's call.
    expect(zod.filter((f) => /\/locales\/(?!(en|index)\.js$)/.test(f) || f.includes('/classic/'))).toEqual(
      [],
    );
  });

  it('carries no code of another service', () => {
    const services = inputsOf(meta())
      .map((f) => /^functions\/([^/]+)\//.exec(f)?.[1])
      .filter((s): s is string => s !== undefined);
    expect([...new Set(services)].filter((s) => s !== fn.service && s !== 'shared')).toEqual([]);
  });

  it('carries only the AWS SDK clients of the resources it declared', () => {
    const clients = new Set(
      inputsOf(meta())
        .map((f) => /node_modules\/@aws-sdk\/(client-[^/]+)\//.exec(f)?.[1])
        .filter((c): c is string => c !== undefined),
    );
    expect([...clients].filter((c) => !allowedClients(fn).has(c))).toEqual([]);
  });

  it(`carries the Redis client ${fn.cache ? '(on demand) as it declares the cache' : 'not at all: it declares no cache'}`, () => {
    const redis = inputsOf(meta()).some((f) => f.includes('node_modules/ioredis/'));
    expect(redis).toBe(fn.cache === true);
    expect(inputsOf(meta(), loadedAtInit(meta())).filter((f) => f.includes('node_modules/ioredis/'))).toEqual(
      [],
    );
  });

  it(`carries the OpenSearch client ${fn.search ? 'only on demand' : 'not at all: it declares no search'}`, () => {
    expect(inputsOf(meta(), loadedAtInit(meta())).filter((f) => OPENSEARCH_PACKAGES.test(f))).toEqual([]);
    if (!fn.search) expect(inputsOf(meta()).filter((f) => OPENSEARCH_PACKAGES.test(f))).toEqual([]);
    else expect(inputsOf(meta()).some((f) => OPENSEARCH_PACKAGES.test(f))).toBe(true);
  });

  it('maps its stack traces itself, loaded at init (functions run without --enable-source-maps)', () => {
    expect(inputsOf(meta(), loadedAtInit(meta()))).toContain('functions/shared/stack-traces.ts');
  });

  it('carries none of the credential providers Lambda never uses', () => {
    expect(inputsOf(meta()).filter((f) => DENIED_CREDENTIAL_PACKAGES.test(f))).toEqual([]);
  });

  it('loads the token checker (jose) only on demand, when a public route gets a token', () => {
    expect(inputsOf(meta(), loadedAtInit(meta())).filter((f) => f.includes('node_modules/jose/'))).toEqual(
      [],
    );
  });

  it('loads the X-Ray SDK only on demand, never at init', () => {
    const atInit = inputsOf(meta(), loadedAtInit(meta()));
    expect(
      atInit.filter((f) => /node_modules\/(aws-xray-sdk-core|@aws-lambda-powertools\/tracer)\//.test(f)),
    ).toEqual([]);
    if (Object.keys(fn.tables ?? {}).length > 0 || fn.buckets || fn.userPool)
      expect(inputsOf(meta()).some((f) => f.includes('node_modules/aws-xray-sdk-core/'))).toBe(true);
  });

  const budget =
    fn.service === 'catalog' && fn.trigger.kind === 'http' && fn.trigger.route.method === 'GET'
      ? CATALOG_READ_BUDGET_BYTES
      : BUDGET_BYTES;
  it(`loads at most ${budget / KiB} KiB of code at init`, () => {
    expect(bytesLoadedAtInit(meta())).toBeLessThanOrEqual(budget);
  });
});

/** Routes that callers other than admins use: the app's paths, where a cold start is felt. */
const forEveryone = app.functions.filter(
  (fn) =>
    fn.trigger.kind === 'http' &&
    (isPublic(fn.trigger.route.auth) || fn.trigger.route.auth.roles.some((role) => role !== 'admin')),
);

describe.each(forEveryone.map((fn) => [fn.name, fn] as const))('the artefact of %s', (_name, fn) => {
  it('builds no admin route contracts (their schemas would cost its init)', () => {
    expect(inputsOf(metafiles.get(fn.name)!).filter((f) => f.endsWith('/admin-contracts.ts'))).toEqual([]);
  });
});
