/**
 * DynamoDB Local. Its jar has a proprietary licence, so it is never committed: on first use the
 * `amplify-dynamodb-simulator` tarball is fetched from the npm registry (`npm pack`) and only its
 * `emulator/` folder (DynamoDBLocal.jar + DynamoDBLocal_lib/) is kept, in `.cache/dynamodb-local/`.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoDb } from './clients';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { HOST, freePort, spawnEngine, waitUntilReady, type StartedEngine } from './process';

const run = promisify(execFile);

export const REPO_ROOT = resolve(__dirname, '..', '..');
const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
const JAVA_HINT = 'DynamoDB Local needs Java 17: apt-get install openjdk-17-jre-headless';

/** Folder holding DynamoDBLocal.jar; fetched once and shared by every checkout process. */
export async function ensureDynamoDbLocal(cacheRoot = join(REPO_ROOT, '.cache')): Promise<string> {
  const target = join(cacheRoot, 'dynamodb-local');
  if (existsSync(join(target, 'DynamoDBLocal.jar'))) return target;

  // Concurrent first runs each download into their own temp folder and race to rename it into place;
  // rename of a folder is atomic and fails when the target already exists, so the loser just cleans up.
  await mkdir(cacheRoot, { recursive: true });
  const work = await mkdtemp(join(cacheRoot, 'dynamodb-local-tmp-'));
  try {
    process.stderr.write(
      `Fetching DynamoDB Local (${SIMULATOR}, ~56 MB) from the npm registry into ${target}\n`,
    );
    await run('npm', ['pack', SIMULATOR, '--pack-destination', work, '--silent'], { maxBuffer: 1 << 24 });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${SIMULATOR} produced no tarball`);
    await run('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator']);
    const jar = join(work, 'package', 'emulator', 'DynamoDBLocal.jar');
    if (!existsSync(jar)) throw new Error(`${SIMULATOR} has no emulator/DynamoDBLocal.jar`);
    try {
      await rename(join(work, 'package', 'emulator'), target);
    } catch (err) {
      if (!existsSync(join(target, 'DynamoDBLocal.jar'))) throw err;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

export interface DynamoDbOptions {
  /** Listen on this port instead of a free one. */
  readonly port?: number;
  /** Persist tables under `<dataDir>/dynamodb`; omitted = in memory. */
  readonly dataDir?: string;
  readonly timeoutMs?: number;
}

export async function startDynamoDb(opts: DynamoDbOptions = {}): Promise<StartedEngine> {
  const [home, port] = await Promise.all([ensureDynamoDbLocal(), opts.port ?? freePort()]);
  const storage = opts.dataDir ? ['-dbPath', join(opts.dataDir, 'dynamodb')] : ['-inMemory'];
  if (opts.dataDir) await mkdir(join(opts.dataDir, 'dynamodb'), { recursive: true });
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const engine = spawnEngine({
    name: 'dynamodb',
    command: java,
    notFoundHint: JAVA_HINT,
    cwd: home,
    args: [
      // Start-up flags measured on 2-core machines: C1 only, serial GC, small heap (~2 s to ready).
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Xmx256m',
      `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(home, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-disableTelemetry',
      // One database whatever the access key / region of the caller (DynamoDB Local otherwise splits by them).
      '-sharedDb',
      ...storage,
    ],
  });
  const endpoint = `http://${HOST}:${port}`;
  const client = localDynamoDb(endpoint, {
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2000 },
  });
  try {
    await waitUntilReady(
      engine,
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      { timeoutMs: opts.timeoutMs ?? 30_000 },
    );
  } catch (err) {
    await engine.stop(500);
    throw err;
  } finally {
    client.destroy();
  }
  return { endpoint, stop: () => engine.stop() };
}
