/**
 * `npm start`: the whole platform on this machine (see local/platform.ts), with data kept in .local/data.
 *
 *   npm start [-- --fresh] [-- --products N]     PORT=3000  ZEPTO_DEMO_PASSWORD=...
 *
 * Ctrl-C (SIGINT) or SIGTERM stops the gateway, the function workers and every engine process.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_PASSWORD, startPlatform, type Platform, type PlatformProgress } from './platform';
import { DEMO_ACCOUNTS } from './seed';
import { DEFAULT_SEED_PRODUCTS, MAX_SEED_PRODUCTS } from './seed/catalog-data';

const ROOT = resolve(__dirname, '..');

interface StartArgs {
  fresh: boolean;
  products: number;
  port: number;
  password: string;
}

function parse(argv: string[]): StartArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      fresh: { type: 'boolean', default: false },
      products: { type: 'string', default: String(DEFAULT_SEED_PRODUCTS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm start [-- --fresh] [-- --products N]\n' +
        `  --fresh         wipe .local/data first\n` +
        `  --products N    products in the demo catalogue (default ${DEFAULT_SEED_PRODUCTS}, at most ${MAX_SEED_PRODUCTS})\n` +
        'Environment: PORT (default 3000), ZEPTO_DEMO_PASSWORD, LOG_LEVEL, ZEPTO_LOG_FORMAT=json,\n' +
        '  ZEPTO_LAMBDA_CONCURRENCY (environments per function, default 4), ZEPTO_ENGINE_LOGS=1 (engine output),\n' +
        '  ZEPTO_REDIS_URL=redis://host:port  use this Redis for the cache instead of starting redis-server\n' +
        '                  (unreachable is fine: reads fail open to DynamoDB; without redis-server: no cache)\n' +
        '  ZEPTO_RESERVATION_TTL_SECONDS=N  seconds a checkout holds stock before an unpaid order is cancelled\n' +
        '                  (default 600, the stage setting)\n' +
        '  ZEPTO_FAIL_CHANNELS=whatsapp,email  those local notification adapters fail every send (their\n' +
        '                  messages retry, then wait in the channel DLQ: npm run dlq -- list)\n' +
        '  ZEPTO_PROVIDER_DECLINE_RATE, ZEPTO_PROVIDER_ERROR_RATE, ZEPTO_PROVIDER_TIMEOUT_RATE (0-1, default 0),\n' +
        '  ZEPTO_PROVIDER_LATENCY_MS (default 0): the payment provider simulator (test tokens: tok_success,\n' +
        '                  tok_decline, tok_timeout, tok_error_then_success; its records: GET /local/provider/charges)\n',
    );
    process.exit(0);
  }
  const products = Number(values.products);
  if (!Number.isInteger(products) || products < 0 || products > MAX_SEED_PRODUCTS)
    throw new UsageError(
      `--products must be a whole number from 0 to ${MAX_SEED_PRODUCTS} (got ${values.products})`,
    );
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`PORT is not a port: ${process.env.PORT}`);
  return {
    fresh: values.fresh,
    products,
    port,
    password: process.env.ZEPTO_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD,
  };
}

class UsageError extends Error {}

/** One status line on a terminal (rewritten in place); milestones only when stderr is not a TTY. */
function progressReporter(): (p: PlatformProgress) => void {
  const tty = process.stderr.isTTY;
  let lastQuarter = -1;
  return (p) => {
    if (p.phase === 'products') {
      const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        process.stderr.write(
          `\r  seeding products [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${pct}%`,
        );
        if (p.done >= p.total) process.stderr.write('\n');
      } else if (Math.floor(pct / 25) > lastQuarter) {
        lastQuarter = Math.floor(pct / 25);
        process.stderr.write(`  seeding products: ${p.done}/${p.total}\n`);
      }
      return;
    }
    const labels = {
      engines: 'engines up',
      bundle: 'functions bundled',
      provision: 'tables, buckets and user pool provisioned',
      seed: 'demo data ready',
      ready: 'serving',
    } as const;
    process.stderr.write(`  ${labels[p.phase]} (${(p.ms / 1000).toFixed(1)} s)\n`);
  };
}

function banner(platform: Platform, args: StartArgs): string {
  const seed = platform.seed;
  const lines = [
    '',
    `Zepto is running at ${platform.url}   (started in ${(platform.timings.total! / 1000).toFixed(1)} s)`,
    '',
    `  health    ${platform.url}/health`,
    `  OpenAPI   ${platform.url}/openapi.json`,
    `  cache     ${platform.resources.cache?.endpoint ?? 'off (redis-server is not installed)'}`,
    `  step fns  ${platform.stepFunctions.endpoint}  (${Object.keys(platform.resources.stateMachineArns ?? {}).join(', ') || 'no state machines yet'}; AWS_ENDPOINT_URL_SFN for the aws CLI)`,
    `  outbox    ${platform.url}/local/outbox?channel=&userId=  (push, email and WhatsApp land here; local only)${process.env.ZEPTO_FAIL_CHANNELS ? `\n            failing on purpose: ${process.env.ZEPTO_FAIL_CHANNELS} (ZEPTO_FAIL_CHANNELS)` : ''}`,
    `  catalogue ${seed ? `${seed.products} products${seed.catalogSkipped ? ' (kept from the last run)' : ''}${seed.catalogConflicts ? ` (${seed.catalogConflicts} seed products left out: their slug, SKU or category was changed by an admin)` : ''}` : '-'}`,
    `  stock     ${seed ? `${seed.stockLines} lines (${seed.stores.length} stores × ${seed.products} products)${seed.stockSkipped ? ' (kept from the last run)' : ''}` : '-'}`,
    '',
    ...(seed
      ? [
          'Dark stores (owned by merchant@demo.zepto.local; staff and rider work at Koramangala):',
          ...seed.stores.map((s) => `  ${s.name.padEnd(28)} ${s.id}  ${s.status.padEnd(7)} ${s.city}`),
          '',
        ]
      : []),
    `Demo accounts (password: ${args.password}):`,
    ...DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(17)} ${a.email}`),
    '',
    'Try it:',
    `  TOKEN=$(curl -s ${platform.url}/v1/auth/login -H 'content-type: application/json' \\`,
    `    -d '{"email":"customer@demo.zepto.local","password":"${args.password}"}' | jq -r .accessToken)`,
    `  curl -s ${platform.url}/v1/me -H "authorization: Bearer $TOKEN"`,
    `  curl -s ${platform.url}/v1/categories`,
    `  curl -s '${platform.url}/v1/serviceability?lat=12.9352&lng=77.6245'`,
    '',
    'Data is kept in .local/data (npm start -- --fresh wipes it). Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}

/**
 * `npm start` runs npm → sh → tsx → this process. A terminal's Ctrl-C signals all of them, but a SIGTERM
 * sent to npm alone (a process manager, an IDE's stop button) ends npm and sh without passing it on. So
 * the chain of ancestors up to npm is watched: when one of them is gone, we stop as if signalled.
 */
function watchLauncher(onGone: () => void): void {
  const chain: number[] = [];
  let launchedByNpm = false;
  let pid = process.ppid;
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    chain.push(pid);
    const info = procInfo(pid);
    if (!info) break;
    if (/(^|\/)npm(\s|$)|npm-cli/.test(info.cmdline)) {
      launchedByNpm = true;
      break;
    }
    pid = info.ppid;
  }
  // Not under npm (or no /proc, e.g. macOS): only the direct parent is watched.
  const watched = launchedByNpm ? chain : [process.ppid];
  const timer = setInterval(() => {
    const gone = watched.some((p) => {
      try {
        process.kill(p, 0);
        return false;
      } catch {
        return true;
      }
    });
    if (gone || process.ppid === 1) {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}

function procInfo(pid: number): { ppid: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { ppid, cmdline };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let args: StartArgs;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\nTry: npm start -- --help\n`);
    process.exit(2);
  }

  // Signals during start-up are handled too: whatever has started is stopped before exiting.
  let platform: Platform | undefined;
  let stopping = false;
  let startupAborted = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      process.stderr.write('\nForced exit.\n');
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping Zepto...\n`);
    if (!platform) {
      startupAborted = true;
      return; // startPlatform is still running; main() stops it as soon as it returns
    }
    await platform.stop();
    process.stderr.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  watchLauncher(() => void shutdown('npm exited'));

  process.stderr.write(
    `Starting Zepto${args.fresh ? ' (fresh: wiping .local/data)' : ''} with ${args.products} products on port ${args.port}...\n`,
  );
  try {
    platform = await startPlatform({
      port: args.port,
      dataDir: join(ROOT, '.local', 'data'),
      buildDir: join(ROOT, '.local', 'build'),
      // Serving starts once the demo data is in; a function asked for before it is bundled is bundled first.
      bundling: 'background',
      fresh: args.fresh,
      seed: { products: args.products },
      demoPassword: args.password,
      onProgress: progressReporter(),
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /EADDRINUSE/.test(message)
      ? `\nPort ${args.port} is in use; try PORT=${args.port + 1} npm start`
      : '';
    process.stderr.write(`\nZepto could not start:\n${message}${hint}\n`);
    process.exit(1);
  }
  if (startupAborted) {
    await platform.stop();
    process.stderr.write('Stopped.\n');
    process.exit(0);
  }
  process.stdout.write(banner(platform, args));
}

void main();
