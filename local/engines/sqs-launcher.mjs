/*
 * Runs fauxqs 2 (SQS emulator) in its own Node process, like the other engines: a crash or a busy event
 * loop in the emulator never stalls the platform or a test runner. fauxqs is ESM-only, hence .mjs.
 * Sends {ready: url} over IPC once listening; exits when the parent goes.
 *
 * Env: SQS_PORT, SQS_REGION, SQS_DATA_DIR (SQLite persistence; omitted = in memory).
 */
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({
  port: Number(process.env.SQS_PORT ?? 0),
  // Queue URLs read http://sqs.<region>.localhost:<port>/000000000000/<name>; clients send to the
  // endpoint from AWS_ENDPOINT_URL_SQS, so the URL's host only has to look like one.
  host: 'localhost',
  defaultRegion: process.env.SQS_REGION ?? 'ap-south-1',
  logger: false,
  ...(process.env.SQS_DATA_DIR ? { dataDir: process.env.SQS_DATA_DIR } : {}),
});
process.send?.({ ready: server.address });
const stop = () => server.stop().finally(() => process.exit(0));
process.on('disconnect', stop);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, stop);
