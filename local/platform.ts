/**
 * The whole platform on one machine, as `npm start` and the end-to-end tests run it: the local engines,
 * every table / bucket / user pool from the app definition, demo data, one Lambda-like worker pool per
 * function, and the API Gateway-like HTTP server in front.
 *
 * Start-up order: bind the port (a busy port fails at once) → start the engines, provision and seed while
 * the functions are bundled → serve (with `bundling: 'background'`, serve while the bundling goes on).
 * Anything started is stopped again if a later step fails.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { app } from '../lib/app/app';
import { isHttpFunction, type AppDef } from '../lib/app/types';
import { buildOpenApiDocument } from '../lib/app/openapi';
import { startEngines } from './engines';
import type { EngineOptions, LocalResources, RunningEngines } from './engines/types';
import { createCognitoAuthorizer } from './gateway/authorizer';
import { startGateway, type Gateway, type PlatformRoute } from './gateway/server';
import { checkQueues } from '../lib/app/queues';
import { checkStreams } from '../lib/app/streams';
import { LocalSearchEngine } from '../functions/search/adapters/local-engine';
import type { ReindexResult } from '../functions/search/use-cases/reindex';
import { rebuildSearchIndex } from './search-index';
import { localStreamsClient, startStreamPollers } from './streams';
import { localClients } from './engines/clients';
import { provision } from './provision';
import { startQueuePollers } from './queues';
import { outboxRoute } from './notifications-outbox';
import { startBundling } from './runtime/bundle';
import { lambdaEnvironment } from './runtime/environment';
import { LambdaRunner, type LogMode } from './runtime/runner';
import { startEventTriggers, type EventTriggers } from './event-triggers';
import { startScheduler } from './scheduler';
import { startStepFunctions, type LocalStepFunctions } from './stepfunctions/server';
import { seedPlatform, type SeedSummary } from './seed';
import {
  simulatorConfigFromEnv,
  startProviderSimulator,
  type ProviderSimulator,
  type SimulatorConfig,
} from './provider-simulator';

export interface PlatformOptions {
  /** HTTP port of the API (0 = any free port). */
  readonly port: number;
  readonly host?: string;
  /** Keeps engine data between runs; omitted = throw-away engines (tests). */
  readonly dataDir?: string;
  /** Wipe `dataDir` first. */
  readonly fresh?: boolean;
  /** Demo accounts and a catalogue of this many products; false = no seed data. */
  readonly seed?: { readonly products: number } | false;
  /** No access log, no function logs, no progress lines. */
  readonly quiet?: boolean;
  /** Password of the demo accounts. */
  readonly demoPassword?: string;
  /** Where the function bundles go; default a temp folder removed on stop. */
  readonly buildDir?: string;
  /**
   * When the functions are bundled (local/runtime/bundle.ts): `eager` before serving (benchmarks);
   * `background` while serving, a function invoked first built first (npm start); `on-demand` only when first
   * invoked (tests that call a few functions). @default 'eager'
   */
  readonly bundling?: 'eager' | 'background' | 'on-demand';
  /** Environments per function at most (see local/runtime/runner.ts). */
  readonly concurrency?: number;
  /** Powertools log level of the functions (default INFO, or env LOG_LEVEL). */
  readonly logLevel?: string;
  /** Function log format (default pretty; env ZEPTO_LOG_FORMAT=json for the raw JSON lines). */
  readonly logs?: LogMode;
  /** Progress of the start-up phases and of the product seed. */
  readonly onProgress?: (progress: PlatformProgress) => void;
  /** Where platform log lines go (default stdout). */
  readonly log?: (line: string) => void;
  /** Override the app definition (tests). */
  readonly app?: AppDef;
  /**
   * Point the functions at this Redis (`redis://` or `rediss://` URL) instead of starting redis-server
   * (default env ZEPTO_REDIS_URL). An unreachable one is fine: reads fail open to DynamoDB.
   */
  readonly redisUrl?: string;
  /** Start redis-server for the functions that declare the cache (when installed). @default true */
  readonly cache?: boolean;
  /** Run schedule triggers (local/scheduler.ts). @default true */
  readonly schedules?: boolean;
  /** Waits between failed S3 notification deliveries (local/s3-notifications.ts). */
  readonly s3RetryDelaysMs?: readonly number[];
  /** Run queue triggers (local/queues.ts). @default true */
  readonly queueConsumers?: boolean;
  /** Run stream triggers (local/streams.ts) and build the search index at start. @default true */
  readonly streamConsumers?: boolean;
  /**
   * The payment provider simulator's rates and latency (default from ZEPTO_PROVIDER_DECLINE_RATE,
   * _ERROR_RATE, _TIMEOUT_RATE, _LATENCY_MS; all 0 when unset).
   */
  readonly provider?: Partial<SimulatorConfig>;
}

export type PlatformProgress =
  | { readonly phase: 'engines' | 'bundle' | 'provision' | 'seed' | 'ready'; readonly ms: number }
  | { readonly phase: 'products'; readonly done: number; readonly total: number };

export interface Platform {
  readonly url: string;
  readonly port: number;
  readonly resources: LocalResources;
  readonly seed: SeedSummary | undefined;
  readonly runner: LambdaRunner;
  /** The local Step Functions endpoint running the app's state machines. */
  readonly stepFunctions: LocalStepFunctions;
  /** S3 notifications and state machine runs (e.g. `events.idle()` in tests). */
  readonly events: EventTriggers;
  /**
   * Every function bundled, with how many builds of the last start were still current and kept (settled
   * before the platform serves with `bundling: 'eager'`; never with `on-demand`).
   */
  readonly bundled: Promise<{ readonly functions: number; readonly reused: number }>;
  /** Milliseconds per start-up phase, and in total. */
  readonly timings: Readonly<Record<string, number>>;
  /** The payment provider simulator the payment functions call (and whose webhooks reach the API). */
  readonly provider: ProviderSimulator;
  /**
   * The search index built from the Catalog table at start (in the background: the platform is ready before
   * it; until it is published, searches answer degraded from DynamoDB). Undefined without stream consumers.
   */
  readonly searchIndex: Promise<ReindexResult> | undefined;
  /** Stops the gateway, the function workers and every engine process. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_DEMO_PASSWORD = 'Zepto-Demo-2026!';

export async function startPlatform(opts: PlatformOptions): Promise<Platform> {
  const started = performance.now();
  const definition = opts.app ?? app;
  checkQueues(definition);
  checkStreams(definition);
  const log = opts.quiet
    ? () => undefined
    : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const timings: Record<string, number> = {};
  const mark = (phase: 'engines' | 'bundle' | 'provision' | 'seed' | 'ready', since: number) => {
    timings[phase] = Math.round(performance.now() - since);
    opts.onProgress?.({ phase, ms: timings[phase] });
  };

  if (opts.fresh && opts.dataDir) await rm(opts.dataDir, { recursive: true, force: true });
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const ownBuildDir = opts.buildDir === undefined;
  const buildDir = opts.buildDir ?? (await mkdtemp(join(tmpdir(), 'zepto-build-')));

  const cleanups: (() => Promise<void>)[] = [];
  let stopped = false;
  const cleanup = async () => {
    stopped = true;
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  };
  if (ownBuildDir) cleanups.push(() => rm(buildDir, { recursive: true, force: true }));

  try {
    const gateway: Gateway = await startGateway({
      port: opts.port,
      host: opts.host,
      quiet: opts.quiet,
      log,
    });
    cleanups.push(() => gateway.close());
    // Functions learn its endpoint (AWS_ENDPOINT_URL_SFN) before they start; Tasks are wired once they run.
    const stepFunctions = await startStepFunctions({ log });
    cleanups.push(() => stepFunctions.close());
    // The provider simulator signs its webhooks to the API's own route, as the provider would.
    const provider = await startProviderSimulator({
      ...(opts.provider ?? simulatorConfigFromEnv()),
      webhookUrl: `${gateway.url}/v1/payments/webhooks/simulator`,
    });
    cleanups.push(() => provider.close());
    let engines: RunningEngines | undefined;

    // Bundling needs no engine, and provisioning and seeding need no bundle: eager bundling runs beside them.
    const t0 = performance.now();
    const bundling = opts.bundling ?? 'eager';
    // A kept build folder (npm start) is reused where no source changed since the last start.
    const bundler = startBundling(definition.functions, {
      outDir: buildDir,
      reuse: !ownBuildDir,
      // In the background, the rest is built once the platform serves (below): the seed comes first.
      concurrency: bundling === 'eager' ? undefined : 0,
    });
    cleanups.push(() => bundler.release());
    const bundled = bundler.done.then(({ reused }) => {
      mark('bundle', t0);
      return { functions: definition.functions.length, reused };
    });
    // Only a failed build is news: a stop in the middle of the bundling ends the builds on purpose.
    bundled.catch((err: unknown) => {
      if (!stopped) log(`[bundle] ${err instanceof Error ? err.message : String(err)}`);
    });
    const redisUrl =
      opts.cache === false ? undefined : parseRedisUrl(opts.redisUrl ?? process.env.ZEPTO_REDIS_URL);
    const dataPromise = startEngines({
      dataDir: opts.dataDir,
      ports: await previousPorts(opts.dataDir),
      redis: redisUrl === undefined && (opts.cache ?? true),
    }).then(async (started: RunningEngines) => {
      mark('engines', t0);
      engines = started;
      cleanups.push(() => started.stop());
      const endpoints = {
        ...started.endpoints,
        ...(redisUrl ? { redis: redisUrl } : {}),
        sfn: stepFunctions.endpoint,
      };
      await rememberPorts(opts.dataDir, started.endpoints);

      const t1 = performance.now();
      const resources = await provision(definition, endpoints, {
        stage: 'local',
        dataDir: opts.dataDir,
        logLevel: opts.logLevel ?? process.env.LOG_LEVEL ?? 'INFO',
      });
      mark('provision', t1);

      let seed: SeedSummary | undefined;
      if (opts.seed !== false) {
        const t2 = performance.now();
        seed = await seedPlatform({
          resources,
          products: opts.seed?.products ?? 2000,
          demoPassword: opts.demoPassword ?? DEFAULT_DEMO_PASSWORD,
          onProgress: (done, total) => opts.onProgress?.({ phase: 'products', done, total }),
        });
        mark('seed', t2);
      }
      return { resources, seed };
    });
    const [dataResult, bundlesResult] = await Promise.allSettled([
      dataPromise,
      bundling === 'eager' ? bundled : undefined,
    ]);
    if (dataResult.status === 'rejected') throw dataResult.reason;
    if (bundlesResult.status === 'rejected') throw bundlesResult.reason;
    const { seed } = dataResult.value;
    // The payment functions reach the simulator, with its secrets (no Secrets Manager locally, ADR 18).
    const resources = {
      ...dataResult.value.resources,
      settings: { ...dataResult.value.resources.settings, paymentProviderEndpoint: provider.url },
      localSecretValues: {
        PaymentProviderApiKey: provider.apiKey,
        PaymentWebhookSigning: provider.webhookSecret,
      },
    };
    const runner = new LambdaRunner(
      definition.functions.map((fn) => ({
        name: fn.name,
        bundle: () => bundler.file(fn.name),
        env: lambdaEnvironment(fn, resources),
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
      })),
      {
        concurrency: opts.concurrency,
        logs: opts.quiet
          ? 'silent'
          : (opts.logs ?? (process.env.ZEPTO_LOG_FORMAT === 'json' ? 'json' : 'pretty')),
        write: log,
      },
    );
    cleanups.push(() => runner.stop());

    if (opts.schedules ?? true) {
      const scheduler = startScheduler(definition.functions, {
        invoke: (name, event) => runner.invoke(name, event),
        log,
      });
      cleanups.push(async () => scheduler.stop());
    }

    const running = engines!;
    const events = startEventTriggers(definition, {
      stepFunctions,
      subscribe: (listener) => running.onS3Event(listener),
      bucketNames: resources.bucketNames,
      invoke: (name, event) => runner.invoke(name, event),
      log,
      retryDelaysMs: opts.s3RetryDelaysMs,
    });
    cleanups.push(async () => events.stop());
    if (opts.queueConsumers ?? true) {
      const clients = localClients(resources.endpoints);
      const pollers = startQueuePollers(definition.functions, {
        sqs: clients.sqs,
        queueUrls: resources.queueUrls,
        invoke: (name, event) => runner.invoke(name, event),
        log,
        // As many batches in flight per consumer as it has environments (AWS scales pollers itself).
        defaultPollers: runner.concurrency,
      });
      cleanups.push(async () => {
        await pollers.stop();
        clients.destroy();
      });
    }

    // Stream readers first (from LATEST), then the index from the table: a change made while it is built is
    // written into the new index by the indexer too, and versions keep the newer of the two.
    let searchIndex: Promise<ReindexResult> | undefined;
    if (opts.streamConsumers ?? true) {
      const clients = localClients(resources.endpoints);
      const streams = localStreamsClient(resources.endpoints.dynamodb);
      const pollers = await startStreamPollers(definition.functions, {
        dynamodb: clients.dynamodb,
        streams,
        sqs: clients.sqs,
        tableNames: resources.tableNames,
        queueUrls: resources.queueUrls,
        invoke: (name, event) => runner.invoke(name, event),
        log,
      });
      cleanups.push(async () => {
        await pollers.stop();
        streams.destroy();
        clients.destroy();
      });
      const catalogTable = resources.tableNames.Catalog;
      if (catalogTable && resources.search) {
        const t3 = performance.now();
        searchIndex = rebuildSearchIndex({
          dynamodb: clients.dynamodb,
          catalogTable,
          engine: new LocalSearchEngine(resources.search.endpoint),
        });
        searchIndex.then(
          (result) => {
            timings.searchIndex = Math.round(performance.now() - t3);
            log(
              `[search] indexed ${result.indexed} products into ${result.index} in ${timings.searchIndex} ms`,
            );
          },
          (err: unknown) => log(`[search] building the index failed: ${String(err)}`),
        );
      }
    }

    let openapi: unknown;
    // Local-only endpoints (under /local/) of the services' local stand-ins.
    const platformRoutes: PlatformRoute[] = [
      {
        // What the simulated provider recorded (never in a deployed stage).
        path: '/local/provider/charges',
        handle: async (query) => {
          const paymentId = query.get('paymentId') ?? undefined;
          if (paymentId !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(paymentId))
            return {
              status: 400,
              body: { title: 'Invalid request', status: 400, detail: 'paymentId must be a ULID' },
            };
          return { status: 200, body: { charges: provider.records(paymentId) } };
        },
      },
    ];
    const outboxTable = resources.tableNames.NotificationOutbox;
    if (outboxTable) {
      const clients = localClients(resources.endpoints);
      platformRoutes.push(outboxRoute(clients.dynamodb, outboxTable));
      cleanups.push(async () => clients.destroy());
    }
    gateway.ready({
      platformRoutes,
      routes: definition.functions.filter(isHttpFunction).map((fn) => ({
        method: fn.trigger.route.method,
        path: fn.trigger.route.path,
        auth: fn.trigger.route.auth,
        functionName: fn.name,
      })),
      invoke: (name, event) => runner.invoke(name, event),
      authorizer: createCognitoAuthorizer({
        issuer: resources.issuer,
        jwksUrl: resources.jwksUrl,
        clientId: resources.userPool.clientId,
      }),
      openapi: async () => (openapi ??= buildOpenApiDocument(definition, gateway.url)),
    });
    timings.total = Math.round(performance.now() - started);
    opts.onProgress?.({ phase: 'ready', ms: timings.total });
    // A build per core: the requests of the first minutes keep their share of the machine.
    if (bundling === 'background') bundler.buildRest(availableParallelism());

    let stopping: Promise<void> | undefined;
    return {
      url: gateway.url,
      port: gateway.port,
      resources,
      seed,
      runner,
      stepFunctions,
      events,
      bundled,
      timings,
      searchIndex,
      provider,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

// Engine ports are kept between runs with a dataDir: the token issuer contains the Cognito port, so tokens
// (and any stored S3 URLs) from the last run stay valid when the same ports are free again.

interface SavedPorts {
  dynamodb?: number;
  cognito?: number;
  s3?: number;
  sqs?: number;
  redis?: number;
  search?: number;
}

async function previousPorts(dataDir: string | undefined): Promise<EngineOptions['ports']> {
  if (!dataDir) return undefined;
  const file = join(dataDir, 'ports.json');
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as SavedPorts;
    const ports: SavedPorts = {};
    for (const key of ['dynamodb', 'cognito', 's3', 'sqs', 'redis', 'search'] as const) {
      const port = saved[key];
      if (typeof port === 'number' && (await portIsFree(port))) ports[key] = port;
    }
    return ports;
  } catch {
    return undefined;
  }
}

async function rememberPorts(
  dataDir: string | undefined,
  endpoints: RunningEngines['endpoints'],
): Promise<void> {
  if (!dataDir) return;
  const portOf = (url: string | undefined) => (url ? Number(new URL(url).port) : undefined);
  const ports: SavedPorts = {
    dynamodb: portOf(endpoints.dynamodb),
    cognito: portOf(endpoints.cognito),
    s3: portOf(endpoints.s3),
    sqs: portOf(endpoints.sqs),
    redis: portOf(endpoints.redis),
    search: portOf(endpoints.search),
  };
  await writeFile(join(dataDir, 'ports.json'), `${JSON.stringify(ports, null, 2)}\n`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** ZEPTO_REDIS_URL: a redis:// or rediss:// URL, or unset. */
export function parseRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`ZEPTO_REDIS_URL is not a URL: ${value}`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`ZEPTO_REDIS_URL must be a redis:// or rediss:// URL (got ${url.protocol})`);
  return value;
}
