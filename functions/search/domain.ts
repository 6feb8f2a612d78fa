/**
 * Product search's domain: the indexed document, query normalisation (length limits, no query syntax), the
 * typo and synonym rules both engines apply, sorts and price bands. No AWS SDK and no engine here.
 */
import type { CatalogCategory, CatalogProduct } from '#shared/published/catalog-items';

/** Queries longer than this (code points, after normalisation) are cut; words beyond MAX_WORDS dropped. */
export const QUERY_MAX = 100;
/** A longer `q` parameter is a 400. */
export const QUERY_MAX_INPUT = QUERY_MAX;
/** The catalogue's price ceiling (₹1,00,000), in paise. */
export const MAX_PRICE_PAISE = 10_000_000;
export const MAX_WORDS = 10;
export const SUGGEST_MAX = 10;
export const SORTS = ['relevance', 'price_asc', 'price_desc', 'popularity'] as const;
export type Sort = (typeof SORTS)[number];

/** The alias every reader and writer uses; the versioned indexes behind it are `products-v<n>`. */
export const PRODUCTS_ALIAS = 'products';
/** While a reindex builds the next index, this alias names it, so the indexer writes to both. */
export const PRODUCTS_BUILDING_ALIAS = 'products-building';
export const productsIndexName = (version: number | string): string => `products-v${version}`;

/**
 * Indian grocery names and their English equivalents (equivalent synonyms: each finds the others).
 * OpenSearch applies them as a synonym_graph filter at query time; the local engine expands documents.
 */
export const SYNONYMS: readonly (readonly string[])[] = [
  ['curd', 'dahi', 'yogurt', 'yoghurt'],
  ['coriander', 'dhania', 'cilantro'],
  ['lady finger', 'ladyfinger', 'bhindi', 'okra'],
  ['cottage cheese', 'paneer'],
  ['gram flour', 'besan'],
  ['chickpeas', 'chickpea', 'chana', 'chole'],
  ['clarified butter', 'ghee'],
  ['turmeric', 'haldi'],
  ['cumin', 'jeera'],
  ['lentils', 'dal', 'daal'],
  ['flattened rice', 'poha'],
  ['semolina', 'sooji', 'suji', 'rava'],
  ['potato', 'aloo'],
  ['onion', 'pyaz', 'kanda'],
  ['tomato', 'tamatar'],
  ['whole wheat flour', 'atta'],
  ['jaggery', 'gur'],
];

/** Price bands of the facet, in paise: [from, to) with the last open-ended. */
export const PRICE_BANDS: readonly { readonly fromPaise: number; readonly toPaise?: number }[] = [
  { fromPaise: 0, toPaise: 5_000 },
  { fromPaise: 5_000, toPaise: 10_000 },
  { fromPaise: 10_000, toPaise: 20_000 },
  { fromPaise: 20_000, toPaise: 50_000 },
  { fromPaise: 50_000 },
];

/** What the engines index for one active product. */
export interface SearchDocument {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly brand?: string;
  /** The product's category and its top-level category (so a filter on either matches). */
  readonly categoryIds: readonly string[];
  readonly categoryId: string;
  /** "Dairy, Bread & Eggs > Curd & Yogurt": searchable text. */
  readonly categoryPath: string;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly unit: string;
  readonly pricePaise: number;
  readonly mrpPaise: number;
  readonly popularity: number;
  readonly active: boolean;
  readonly imageKey?: string;
  /** The product's version: an engine keeps the highest it has seen (out-of-order and replayed writes). */
  readonly version: number;
}

/** The document of a product, or undefined when it must not be searchable (inactive). */
export function documentOf(
  product: CatalogProduct,
  categories: ReadonlyMap<string, CatalogCategory>,
): SearchDocument | undefined {
  if (!product.isActive) return undefined;
  const category = categories.get(product.categoryId);
  const parent = category?.parentId ? categories.get(category.parentId) : undefined;
  const root = product.topLevelCategoryId ?? category?.parentId ?? product.categoryId;
  return {
    id: product.id,
    slug: product.slug,
    name: product.name,
    ...(product.brand ? { brand: product.brand } : {}),
    categoryIds: [...new Set([product.categoryId, root])],
    categoryId: product.categoryId,
    categoryPath: [parent?.name, category?.name].filter((n) => n !== undefined).join(' > '),
    tags: [...product.tags],
    ...(product.description ? { description: product.description } : {}),
    unit: product.unit,
    pricePaise: product.pricePaise,
    mrpPaise: product.mrpPaise,
    popularity: product.popularity,
    active: true,
    ...(product.imageKeys[0] ? { imageKey: product.imageKeys[0] } : {}),
    version: product.version,
  };
}

/**
 * A query as the engines get it: lower-case words of letters and digits only. Every other character
 * (quotes, operators, brackets, `:` `*` `~` ...) becomes a space, so nothing a user types is ever query
 * syntax; at most QUERY_MAX code points and MAX_WORDS words.
 */
export function normaliseQuery(raw: string | undefined): string {
  if (!raw) return '';
  const words = [...raw.normalize('NFKC').toLowerCase()]
    .slice(0, QUERY_MAX)
    .join('')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS);
  return words.join(' ');
}

/** Edits a word may be off by: none up to 2 letters, one up to 5, two for longer words. */
export function editsFor(word: string): 0 | 1 | 2 {
  const length = [...word].length;
  if (length <= 2) return 0;
  return length <= 5 ? 1 : 2;
}

/** The synonyms of the words in `text` (phrases included), not counting what the text already says. */
export function synonymsIn(text: string): string[] {
  const padded = ` ${normaliseQuery(text)} `;
  const found = new Set<string>();
  for (const group of SYNONYMS)
    if (group.some((term) => padded.includes(` ${term} `)))
      for (const term of group) if (!padded.includes(` ${term} `)) found.add(term);
  return [...found];
}

/** The filters and paging of one search, engine-neutral. */
export interface SearchQuery {
  /** Normalised (normaliseQuery); empty = no text, match by filters only. */
  readonly text: string;
  readonly categoryId?: string;
  readonly brand?: string;
  readonly minPricePaise?: number;
  readonly maxPricePaise?: number;
  readonly sort: Sort;
  readonly offset: number;
  readonly size: number;
}

export interface Facets {
  readonly categories: readonly { readonly id: string; readonly count: number }[];
  readonly brands: readonly { readonly value: string; readonly count: number }[];
  readonly priceBands: readonly {
    readonly fromPaise: number;
    readonly toPaise: number | null;
    readonly count: number;
  }[];
}

export interface SearchResult {
  readonly hits: readonly SearchDocument[];
  readonly total: number;
  readonly facets: Facets;
}

export const emptyFacets = (): Facets => ({
  categories: [],
  brands: [],
  priceBands: PRICE_BANDS.map((b) => ({ fromPaise: b.fromPaise, toPaise: b.toPaise ?? null, count: 0 })),
});

export const FACET_SIZE = 20;
