/**
 * Published part of the Catalog table's SKU guard item (ADR 9): written only by the catalogue (in the
 * transactions that create, re-SKU and delete a product), read by the inventory imports to turn a CSV
 * row's SKU into a product id.
 *
 * Table `Catalog` (pk/sk): one guard per product SKU, `{pk: 'PRODUCT_SKU#<sku>', sk: 'GUARD', productId}`.
 * A guard exists exactly while a product holds that SKU (active or not); SKUs are unique and
 * case-sensitive, shaped like `SKU_PATTERN`.
 */
export const SKU_PATTERN = /^(?=.{3,32}$)[A-Z0-9]+(-[A-Z0-9]+)*$/;

export const productSkuKey = (sku: string) => ({ pk: `PRODUCT_SKU#${sku}`, sk: 'GUARD' });

/** The attributes a reader needs (a ProjectionExpression): the key, to match answers to SKUs, and the owner. */
export const PRODUCT_SKU_ATTRIBUTES = ['pk', 'productId'] as const;

/** `{sku, productId}` of a guard item, or undefined for anything else. */
export function productSkuFromItem(
  item: Record<string, unknown>,
): { sku: string; productId: string } | undefined {
  const pk = typeof item.pk === 'string' ? item.pk : '';
  if (!pk.startsWith('PRODUCT_SKU#') || typeof item.productId !== 'string') return undefined;
  return { sku: pk.slice('PRODUCT_SKU#'.length), productId: item.productId };
}
