/**
 * npm run merchant:generate -- --rows 50000 --store <storeId> [--out file.csv]
 *
 * Writes an inventory CSV of N rows over the seed catalogue's SKUs (`npm start -- --products N` seeds as
 * many products; at most 50,000), for `npm run merchant:upload`. Default file: .local/imports/<store>-<rows>.csv.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { catalogSeedData, MAX_SEED_PRODUCTS } from './seed/catalog-data';
import { inventoryCsvLines } from './imports/generate';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000' }, store: { type: 'string' }, out: { type: 'string' } },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1 || rows > MAX_SEED_PRODUCTS) {
  process.stderr.write(
    `--rows must be a whole number from 1 to ${MAX_SEED_PRODUCTS} (the seed's largest catalogue)\n`,
  );
  process.exit(2);
}
const file = resolve(values.out ?? join('.local', 'imports', `${values.store ?? 'any-store'}-${rows}.csv`));

async function main() {
  const skus = catalogSeedData(rows).products.map((p) => p.sku);
  await mkdir(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  for (const line of inventoryCsvLines(skus, rows)) if (!out.write(line)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  process.stdout.write(
    `Wrote ${rows} rows to ${file}\n(their SKUs exist once the platform seeds at least ${rows} products: npm start -- --products ${rows})\n`,
  );
}

void main();
