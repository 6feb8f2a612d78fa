/**
 * Inventory CSVs for the local platform and the bench: `rows` lines of `sku,quantity,reason` over the
 * given SKUs, deterministic (the same arguments give the same file).
 */
export function* inventoryCsvLines(skus: readonly string[], rows: number): Generator<string> {
  if (rows > skus.length)
    throw new Error(`Only ${skus.length} SKUs for ${rows} rows (each SKU once per file)`);
  yield 'sku,quantity,reason\n';
  for (let i = 0; i < rows; i++) yield `${skus[i]},${(i * 7919) % 251},restock\n`;
}

export const inventoryCsv = (skus: readonly string[], rows: number): string =>
  [...inventoryCsvLines(skus, rows)].join('');
