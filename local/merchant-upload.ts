/**
 * npm run merchant:upload -- <file.csv> --store <storeId> [--email e --password p] [--url base]
 *
 * Uploads an inventory CSV the way a merchant's tool does (log in, pre-signed PUT, follow the import) to
 * the local platform (default http://127.0.0.1:$PORT or 3000) as the demo merchant, who owns the seeded
 * stores (`npm start` prints their ids), and shows the import's progress until it finishes.
 * Exit code 0 when the import applied (SUCCEEDED or PARTIALLY_APPLIED), 1 otherwise, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { uploadInventory, UploadError, type ImportView } from './imports/upload';
import { DEFAULT_DEMO_PASSWORD } from './platform';

const USAGE =
  'usage: npm run merchant:upload -- <file.csv> --store <storeId> [--email <e> --password <p>] [--url <base>]\n';

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        email: { type: 'string', default: 'merchant@demo.zepto.local' },
        password: { type: 'string', default: process.env.ZEPTO_DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD },
        url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? '3000'}` },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const progress = (v: ImportView): string =>
  `${v.status.padEnd(17)} rows ${v.counts.rows}  valid ${v.counts.valid}  applied ${v.counts.applied}  rejected ${v.counts.rejected}`;

async function main(): Promise<number> {
  const { values, positionals } = parse();
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file || !values.store || positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const tty = process.stdout.isTTY;
  let last = '';
  const view = await uploadInventory({
    baseUrl: values.url,
    file,
    storeId: values.store,
    email: values.email,
    password: values.password,
    onProgress: (v) => {
      const line = progress(v);
      if (line === last) return;
      last = line;
      // One line rewritten in place on a terminal; one line per change otherwise (CI logs).
      process.stdout.write(tty ? `\r${line}` : `${line}\n`);
    },
  });
  if (tty) process.stdout.write('\n');
  process.stdout.write(`Import ${view.importId} at store ${view.storeId}: ${view.status}\n`);
  if (view.reason) process.stdout.write(`Reason: ${view.reason}\n`);
  if (view.counts.superseded > 0)
    process.stdout.write(`${view.counts.superseded} rows left as a newer import had set them\n`);
  for (const e of view.errors)
    process.stdout.write(`  line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.reason}\n`);
  if (view.reportUrl) process.stdout.write(`Every rejected row: ${view.reportUrl}\n`);
  return view.status === 'SUCCEEDED' || view.status === 'PARTIALLY_APPLIED' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof UploadError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
