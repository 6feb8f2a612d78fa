/*
 * Runs s3rver 3.7 in its own Node process. It must be started with `--openssl-legacy-provider`: s3rver
 * encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) only offers through the
 * legacy provider; without it, paginated listings fail. The parent cannot turn that on for itself, hence
 * a child. S3 event records (s3rver emits real ObjectCreated/ObjectRemoved records) are forwarded to the
 * parent over IPC as {event}; {ready: url} is sent once listening.
 *
 * Env: S3_HOST, S3_PORT, S3_DIRECTORY.
 */

'use strict';
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

// s3rver only knows the key pair S3RVER/S3RVER; accept the dummy credentials every local process uses
// (awsEnvironment() in types.ts: local/local) so signatures are still checked, with that secret.
DUMMY_ACCOUNT.createKeyPair(
  process.env.S3_ACCESS_KEY_ID ?? 'local',
  process.env.S3_SECRET_ACCESS_KEY ?? 'local',
);

const server = new S3rver({
  address: process.env.S3_HOST ?? '127.0.0.1',
  port: Number(process.env.S3_PORT ?? 0),
  directory: process.env.S3_DIRECTORY,
  silent: process.env.S3_LOGS !== '1',
  // Path-style only: SDK clients pointed at an IP address never use virtual-host addressing.
  vhostBuckets: false,
});

server.on('event', (event) => process.send?.({ event }));

server.run().then(
  ({ address, port }) => {
    process.send?.({ ready: `http://${address}:${port}` });
    process.on('disconnect', () => server.close().finally(() => process.exit(0)));
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => server.close().finally(() => process.exit(0)));
