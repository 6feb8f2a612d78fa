/**
 * A deterministic Indian grocery catalogue for local runs and tests: 13 top-level categories with 48
 * subcategories, and as many products as asked (up to 50,000) built from brand × item × variant × pack
 * size, then multipacks, then two-item combos. Product `i` is the same whatever the count asked for
 * (same id, SKU, slug, price), so seeding again overwrites instead of duplicating, and a larger seed
 * extends a smaller one. No randomness: every "random" choice is a hash of a stable key.
 */
import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { Category, Product } from '../../functions/catalog/domain';
import { DEFAULT_MAX_PER_ORDER } from '../../functions/shared/published/catalog-items';

export const MAX_SEED_PRODUCTS = 50_000;
export const DEFAULT_SEED_PRODUCTS = 2_000;
/** Bump when the generated data changes shape, so a seeded table is rewritten. */
export const SEED_DATA_VERSION = 1;

const EPOCH = Date.UTC(2025, 0, 1);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A valid ULID whose time part is `timeMs` and whose random part is a hash of `key`. */
export function deterministicUlid(timeMs: number, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! & 31];
  return encodeTime(timeMs, 10) + random;
}

/** FNV-1a: a stable number in [0, 1) for a key. */
function unit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

export function slugify(text: string, max = 80): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

// --- the catalogue --------------------------------------------------------------------------------------

interface ItemSpec {
  readonly name: string;
  readonly brands: readonly string[];
  readonly sizes: readonly string[];
  /** Rupees for the first size of an average brand. */
  readonly rupees: number;
  readonly variants: readonly (string | undefined)[];
  readonly tags: readonly string[];
}
interface SubSpec {
  readonly slug: string;
  readonly name: string;
  readonly code: string;
  readonly items: readonly ItemSpec[];
}
interface TopSpec {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly subs: readonly SubSpec[];
}

/** item('Toned Milk', 'Amul Taaza|Mother Dairy', '500 ml|1 L', 28, { variants: 'A|B', tags: 'milk' }) */
function item(
  name: string,
  brands: string,
  sizes: string,
  rupees: number,
  extra: { variants?: string; tags?: string } = {},
): ItemSpec {
  return {
    name,
    brands: brands.split('|'),
    sizes: sizes.split('|'),
    rupees,
    variants: extra.variants ? extra.variants.split('|') : [undefined],
    tags: extra.tags ? extra.tags.split('|') : [],
  };
}
const sub = (slug: string, name: string, code: string, items: ItemSpec[]): SubSpec => ({
  slug,
  name,
  code,
  items,
});

const PRODUCE = 'FreshHarvest|Organic Roots';
const DALS = 'Tata Sampann|Fortune|24 Mantra|Rajdhani';
const SPICES = 'Everest|MDH|Catch|Tata Sampann|Aachi';
const NUTS = 'Happilo|Nutraj|Tata Sampann|Farmley';
const MEAT = 'Licious|FreshToHome|Zorabian|Meatigo';

const CATALOGUE: readonly TopSpec[] = [
  {
    slug: 'fruits-and-vegetables',
    name: 'Fruits & Vegetables',
    description: 'Farm-fresh fruits, vegetables, exotics and herbs, sourced daily',
    subs: [
      sub('fresh-fruits', 'Fresh Fruits', 'FRU', [
        item('Banana Robusta', PRODUCE, '6 pcs|12 pcs', 48, { tags: 'fruit' }),
        item('Apple', PRODUCE, '4 pcs|6 pcs', 140, { variants: 'Shimla|Royal Gala|Kinnaur', tags: 'fruit' }),
        item('Pomegranate', PRODUCE, '2 pcs|4 pcs', 120, { tags: 'fruit' }),
        item('Papaya', PRODUCE, '1 pc|2 pcs', 60, { tags: 'fruit' }),
        item('Mango', PRODUCE, '1 kg|2 kg', 180, {
          variants: 'Alphonso|Banganapalli|Kesar|Dasheri',
          tags: 'fruit|seasonal',
        }),
        item('Orange Nagpur', PRODUCE, '500 g|1 kg', 70, { tags: 'fruit|citrus' }),
        item('Grapes', PRODUCE, '500 g|1 kg', 80, {
          variants: 'Green Seedless|Black Seedless',
          tags: 'fruit',
        }),
      ]),
      sub('fresh-vegetables', 'Fresh Vegetables', 'VEG', [
        item('Onion', PRODUCE, '500 g|1 kg|2 kg', 30, { tags: 'vegetable|daily-essentials' }),
        item('Potato', PRODUCE, '500 g|1 kg|2 kg', 25, { tags: 'vegetable|daily-essentials' }),
        item('Tomato', PRODUCE, '500 g|1 kg', 28, {
          variants: 'Hybrid|Local',
          tags: 'vegetable|daily-essentials',
        }),
        item('Carrot Ooty', PRODUCE, '250 g|500 g', 30, { tags: 'vegetable' }),
        item('Cauliflower', PRODUCE, '1 pc', 40, { tags: 'vegetable' }),
        item('Lady Finger', PRODUCE, '250 g|500 g', 25, { tags: 'vegetable' }),
        item('Green Capsicum', PRODUCE, '250 g|500 g', 35, { tags: 'vegetable' }),
      ]),
      sub('exotics', 'Exotic Fruits & Vegetables', 'EXO', [
        item('Avocado', PRODUCE, '1 pc|2 pcs', 120, { tags: 'exotic' }),
        item('Broccoli', PRODUCE, '250 g|500 g', 60, { tags: 'exotic|vegetable' }),
        item('Zucchini Green', PRODUCE, '250 g|500 g', 45, { tags: 'exotic|vegetable' }),
        item('Kiwi', PRODUCE, '3 pcs|6 pcs', 90, { tags: 'exotic|fruit' }),
        item('Red Bell Pepper', PRODUCE, '250 g|500 g', 80, { tags: 'exotic|vegetable' }),
        item('Cherry Tomato', PRODUCE, '200 g|400 g', 55, { tags: 'exotic|vegetable' }),
      ]),
      sub('herbs-and-seasonings', 'Herbs & Seasonings', 'HRB', [
        item('Coriander Leaves', PRODUCE, '100 g|200 g', 15, { tags: 'herbs' }),
        item('Mint Leaves', PRODUCE, '100 g', 15, { tags: 'herbs' }),
        item('Curry Leaves', PRODUCE, '50 g|100 g', 10, { tags: 'herbs' }),
        item('Green Chilli', PRODUCE, '100 g|250 g', 12, { tags: 'herbs' }),
        item('Ginger', PRODUCE, '100 g|250 g', 25, { tags: 'herbs' }),
        item('Garlic', PRODUCE, '100 g|250 g', 35, { tags: 'herbs' }),
        item('Lemon', PRODUCE, '4 pcs|8 pcs', 25, { tags: 'herbs|citrus' }),
      ]),
    ],
  },
  {
    slug: 'dairy-bread-and-eggs',
    name: 'Dairy, Bread & Eggs',
    description: 'Milk, curd, paneer, butter, breads and eggs, delivered chilled',
    subs: [
      sub('milk', 'Milk', 'MLK', [
        item('Toned Milk', 'Amul Taaza|Mother Dairy|Nandini|Heritage|Aavin', '500 ml|1 L', 28, {
          tags: 'milk|daily-essentials',
        }),
        item('Full Cream Milk', 'Amul Gold|Mother Dairy|Nandini|Heritage', '500 ml|1 L', 34, {
          tags: 'milk',
        }),
        item('Cow Milk', 'Amul|Akshayakalpa|Country Delight', '500 ml|1 L', 30, { tags: 'milk' }),
        item('Double Toned Milk', 'Amul Slim|Mother Dairy', '500 ml|1 L', 25, { tags: 'milk|low-fat' }),
      ]),
      sub('curd-and-yogurt', 'Curd & Yogurt', 'CRD', [
        item('Dahi', 'Amul Masti|Mother Dairy|Nandini|Milky Mist', '200 g|400 g|1 kg', 25, { tags: 'curd' }),
        item('Greek Yogurt', 'Epigamia|Milky Mist|Amul', '90 g|400 g', 40, {
          variants: 'Plain|Blueberry|Strawberry|Mango',
          tags: 'yogurt|high-protein',
        }),
        item('Lassi', 'Amul|Mother Dairy', '200 ml|1 L', 20, { variants: 'Sweet|Mango|Rose', tags: 'lassi' }),
        item('Buttermilk', 'Amul Masti|Mother Dairy|Heritage', '200 ml|500 ml', 15, {
          variants: 'Plain|Spiced',
        }),
      ]),
      sub('paneer-and-cheese', 'Paneer & Cheese', 'PNR', [
        item('Paneer', 'Amul|Mother Dairy|Milky Mist|Gowardhan', '200 g|500 g|1 kg', 90, {
          variants: 'Fresh|Malai',
          tags: 'paneer|high-protein',
        }),
        item('Cheese Slices', 'Amul|Britannia|Go', '100 g|200 g|750 g', 75, { tags: 'cheese' }),
        item('Mozzarella Cheese', 'Amul|Go|Milky Mist', '200 g|1 kg', 110, { tags: 'cheese' }),
        item('Cheese Spread', 'Amul|Britannia', '200 g', 95, {
          variants: 'Plain|Jalapeno|Garlic',
          tags: 'cheese',
        }),
      ]),
      sub('butter-and-ghee', 'Butter & Ghee', 'BTR', [
        item('Butter', 'Amul|Mother Dairy|Britannia', '100 g|500 g', 56, {
          variants: 'Salted|Unsalted',
          tags: 'butter',
        }),
        item('Cow Ghee', 'Amul|Gowardhan|Nandini|Patanjali|Anik', '200 ml|500 ml|1 L', 160, { tags: 'ghee' }),
        item('Desi Ghee', 'Amul|Aashirvaad|Mother Dairy', '500 ml|1 L', 300, { tags: 'ghee' }),
      ]),
      sub('bread-and-buns', 'Bread & Buns', 'BRD', [
        item('Bread', 'Britannia|Harvest Gold|Modern|English Oven', '400 g|800 g', 40, {
          variants: 'White|Brown|Whole Wheat|Multigrain',
          tags: 'bread|breakfast',
        }),
        item('Pav', 'Britannia|Harvest Gold|Modern', '6 pcs|12 pcs', 30, { tags: 'bread' }),
        item('Burger Buns', 'Harvest Gold|English Oven', '4 pcs', 40, { tags: 'bread' }),
      ]),
      sub('eggs', 'Eggs', 'EGG', [
        item('Eggs', 'Eggoz|Country Delight|Keggs|Henfruit', '6 pcs|12 pcs|30 pcs', 55, {
          variants: 'Farm Fresh White|Brown|Protein Rich',
          tags: 'eggs|high-protein',
        }),
      ]),
    ],
  },
  {
    slug: 'atta-rice-and-dal',
    name: 'Atta, Rice & Dal',
    description: 'Flours, rice, dals and pulses for every Indian kitchen',
    subs: [
      sub('atta-and-flours', 'Atta & Flours', 'ATA', [
        item('Whole Wheat Atta', 'Aashirvaad|Pillsbury|Fortune|Annapurna|Patanjali', '1 kg|5 kg|10 kg', 60, {
          tags: 'atta|staples',
        }),
        item('Multigrain Atta', 'Aashirvaad|Fortune|Pillsbury', '1 kg|5 kg', 75, { tags: 'atta|staples' }),
        item('Besan', 'Fortune|Rajdhani|Tata Sampann', '500 g|1 kg', 60, { tags: 'flour' }),
        item('Maida', 'Fortune|Rajdhani|Pillsbury', '500 g|1 kg', 35, { tags: 'flour' }),
        item('Sooji Rava', 'Fortune|Rajdhani|Aashirvaad', '500 g|1 kg', 35, { tags: 'flour' }),
      ]),
      sub('rice', 'Rice', 'RCE', [
        item('Basmati Rice', 'India Gate|Daawat|Kohinoor|Fortune', '1 kg|5 kg', 130, {
          variants: 'Classic|Super|Dubar|Tibar',
          tags: 'rice|staples',
        }),
        item('Sona Masoori Rice', 'Fortune|24 Mantra|Daawat', '1 kg|5 kg|10 kg', 65, {
          tags: 'rice|staples',
        }),
        item('Kolam Rice', 'Fortune|Daawat', '1 kg|5 kg', 70, { tags: 'rice|staples' }),
        item('Poha', 'Tata Sampann|Fortune|Rajdhani', '500 g|1 kg', 35, {
          variants: 'Thick|Thin',
          tags: 'breakfast',
        }),
      ]),
      sub('dals-and-pulses', 'Dals & Pulses', 'DAL', [
        item('Toor Dal', DALS, '500 g|1 kg', 90, { tags: 'dal|staples' }),
        item('Moong Dal', DALS, '500 g|1 kg', 80, { tags: 'dal|staples' }),
        item('Chana Dal', DALS, '500 g|1 kg', 65, { tags: 'dal|staples' }),
        item('Masoor Dal', DALS, '500 g|1 kg', 70, { tags: 'dal|staples' }),
        item('Urad Dal', DALS, '500 g|1 kg', 85, { tags: 'dal|staples' }),
        item('Rajma', 'Tata Sampann|24 Mantra', '500 g|1 kg', 90, {
          variants: 'Chitra|Jammu',
          tags: 'pulses',
        }),
        item('Kabuli Chana', 'Tata Sampann|Fortune|24 Mantra', '500 g|1 kg', 85, { tags: 'pulses' }),
      ]),
    ],
  },
  {
    slug: 'masala-oil-and-more',
    name: 'Masala, Oil & More',
    description: 'Cooking oils, spices, salt, sugar and dry fruits',
    subs: [
      sub('cooking-oil', 'Cooking Oil', 'OIL', [
        item('Sunflower Oil', 'Fortune|Saffola|Freedom|Gemini', '1 L|5 L', 150, { tags: 'oil' }),
        item('Mustard Oil', 'Fortune|Patanjali|Dhara|Engine', '1 L|5 L', 170, {
          variants: 'Kachi Ghani',
          tags: 'oil',
        }),
        item('Groundnut Oil', 'Fortune|Dhara|Gemini', '1 L|5 L', 190, { tags: 'oil' }),
        item('Rice Bran Oil', 'Fortune|Saffola|Emami', '1 L|5 L', 145, { tags: 'oil' }),
        item('Olive Oil', 'Figaro|Borges|Del Monte', '500 ml|1 L', 550, {
          variants: 'Extra Virgin|Pomace',
          tags: 'oil',
        }),
      ]),
      sub('spices-and-masalas', 'Spices & Masalas', 'SPC', [
        item('Turmeric Powder', SPICES, '100 g|200 g|500 g', 35, { tags: 'spices' }),
        item('Red Chilli Powder', SPICES, '100 g|200 g|500 g', 45, { tags: 'spices' }),
        item('Coriander Powder', SPICES, '100 g|200 g', 30, { tags: 'spices' }),
        item('Garam Masala', 'Everest|MDH|Catch|Badshah', '50 g|100 g', 50, { tags: 'masala' }),
        item('Kitchen King Masala', 'Everest|MDH', '50 g|100 g', 55, { tags: 'masala' }),
        item('Chhole Masala', 'Everest|MDH|Catch', '50 g|100 g', 45, { tags: 'masala' }),
        item('Cumin Seeds', 'Tata Sampann|Catch|24 Mantra', '100 g|200 g', 60, { tags: 'spices' }),
      ]),
      sub('salt-sugar-and-jaggery', 'Salt, Sugar & Jaggery', 'SLT', [
        item('Iodised Salt', 'Tata|Aashirvaad|Catch', '1 kg', 28, { tags: 'salt|staples' }),
        item('Rock Salt', 'Tata|Catch', '500 g|1 kg', 45, { tags: 'salt' }),
        item('Sugar', 'Madhur|Dhampure|Trust', '1 kg|5 kg', 50, {
          variants: 'Refined|Sulphurless',
          tags: 'sugar|staples',
        }),
        item('Jaggery', '24 Mantra|Tata Sampann|Organic Tattva', '500 g|1 kg', 70, {
          variants: 'Block|Powder',
          tags: 'jaggery',
        }),
      ]),
      sub('dry-fruits', 'Dry Fruits & Nuts', 'DRY', [
        item('Almonds', NUTS, '100 g|250 g|500 g', 130, { tags: 'dry-fruits|healthy' }),
        item('Cashews', NUTS, '100 g|250 g|500 g', 150, { variants: 'Whole|W320', tags: 'dry-fruits' }),
        item('Raisins', NUTS, '100 g|250 g', 60, { tags: 'dry-fruits' }),
        item('Walnuts', 'Happilo|Nutraj', '100 g|250 g', 190, { tags: 'dry-fruits|healthy' }),
      ]),
    ],
  },
  {
    slug: 'snacks-and-munchies',
    name: 'Snacks & Munchies',
    description: 'Chips, namkeen, biscuits, chocolates and sweets',
    subs: [
      sub('chips-and-crisps', 'Chips & Crisps', 'CHP', [
        item('Potato Chips', "Lay's|Bingo|Uncle Chipps|Pringles", '26 g|52 g|90 g', 20, {
          variants: 'Classic Salted|Magic Masala|Cream & Onion|Spanish Tomato Tango|Chile Limon',
          tags: 'chips|party',
        }),
        item('Nachos', 'Doritos|Cornitos|Bingo', '60 g|150 g', 30, {
          variants: 'Nacho Cheese|Sweet Chilli|Salsa',
          tags: 'chips',
        }),
        item('Banana Chips', "Haldiram's|Beyond Snack", '150 g|200 g', 60, {
          variants: 'Salted|Peri Peri',
          tags: 'chips',
        }),
      ]),
      sub('namkeen', 'Namkeen', 'NMK', [
        item('Aloo Bhujia', "Haldiram's|Bikaji|Bikanervala|Balaji", '200 g|400 g|1 kg', 55, {
          tags: 'namkeen',
        }),
        item('Moong Dal Namkeen', "Haldiram's|Bikaji|Bikanervala", '200 g|400 g', 50, { tags: 'namkeen' }),
        item('Navratan Mix', "Haldiram's|Bikanervala", '200 g|400 g', 55, { tags: 'namkeen' }),
        item('Khatta Meetha', "Haldiram's|Bikaji|Balaji", '200 g|400 g', 50, { tags: 'namkeen' }),
        item('Masala Peanuts', "Haldiram's|Bikaji", '200 g', 45, { tags: 'namkeen' }),
      ]),
      sub('biscuits-and-cookies', 'Biscuits & Cookies', 'BSC', [
        item('Glucose Biscuits', 'Parle-G|Britannia Tiger|Sunfeast', '100 g|250 g|800 g', 10, {
          tags: 'biscuits|tea-time',
        }),
        item('Cream Biscuits', 'Oreo|Britannia Bourbon|Sunfeast Dark Fantasy', '120 g|300 g', 30, {
          variants: 'Chocolate|Vanilla|Strawberry',
          tags: 'biscuits',
        }),
        item('Digestive Biscuits', "McVitie's|Britannia NutriChoice|Unibic", '250 g|1 kg', 60, {
          variants: 'Original|Oats|Ragi',
          tags: 'biscuits|healthy',
        }),
        item('Marie Biscuits', 'Britannia Marie Gold|Parle|Sunfeast', '250 g|1 kg', 35, {
          tags: 'biscuits|tea-time',
        }),
        item('Cookies', 'Unibic|Britannia Good Day|Parle Hide & Seek', '150 g|500 g', 40, {
          variants: 'Butter|Cashew|Choco Chip|Pista Badam',
          tags: 'cookies',
        }),
      ]),
      sub('chocolates-and-sweets', 'Chocolates & Sweets', 'CHC', [
        item('Milk Chocolate', 'Cadbury Dairy Milk|Amul|Nestle', '13 g|50 g|150 g', 10, {
          variants: 'Classic|Silk|Fruit & Nut|Roast Almond',
          tags: 'chocolate|gifting',
        }),
        item('Dark Chocolate', 'Amul|Cadbury Bournville|Lindt', '40 g|150 g', 100, {
          variants: '55 Percent|70 Percent|Orange',
          tags: 'chocolate',
        }),
        item('Wafer Bar', 'KitKat|Perk|Munch', '13 g|38 g', 10, { tags: 'chocolate' }),
        item('Rasgulla', "Haldiram's|Bikanervala|KC Das", '500 g|1 kg', 150, { tags: 'sweets|festive' }),
        item('Gulab Jamun', "Haldiram's|Bikanervala|Gits", '500 g|1 kg', 160, { tags: 'sweets|festive' }),
      ]),
    ],
  },
  {
    slug: 'beverages',
    name: 'Beverages',
    description: 'Tea, coffee, soft drinks, juices and water',
    subs: [
      sub('tea', 'Tea', 'TEA', [
        item('Tea', 'Tata|Red Label|Taj Mahal|Wagh Bakri|Society', '250 g|500 g|1 kg', 130, {
          variants: 'Premium|Gold|Masala',
          tags: 'tea',
        }),
        item('Green Tea Bags', 'Lipton|Tetley|Organic India|Girnar', '25 pcs|100 pcs', 150, {
          variants: 'Pure|Honey Lemon|Tulsi',
          tags: 'tea|healthy',
        }),
      ]),
      sub('coffee', 'Coffee', 'COF', [
        item('Instant Coffee', 'Nescafe|Bru|Davidoff|Sunrise', '50 g|100 g|200 g', 180, {
          variants: 'Classic|Gold',
          tags: 'coffee',
        }),
        item('Filter Coffee', "Bru|Cothas|Narasu's|Leo", '200 g|500 g', 150, { tags: 'coffee' }),
      ]),
      sub('soft-drinks-and-water', 'Soft Drinks & Water', 'SFT', [
        item('Cola', 'Coca-Cola|Pepsi|Thums Up', '250 ml|750 ml|2 L', 20, { tags: 'cold-drinks|party' }),
        item('Lemon Soda', 'Sprite|7UP|Limca', '250 ml|750 ml|2 L', 20, { tags: 'cold-drinks' }),
        item('Orange Drink', 'Fanta|Mirinda', '250 ml|750 ml|2 L', 20, { tags: 'cold-drinks' }),
        item('Energy Drink', 'Red Bull|Monster|Sting', '250 ml|350 ml', 60, { tags: 'energy' }),
        item('Mineral Water', 'Bisleri|Kinley|Aquafina|Himalayan', '500 ml|1 L|2 L', 10, { tags: 'water' }),
      ]),
      sub('juices', 'Juices', 'JUI', [
        item('Fruit Juice', 'Real|Tropicana|B Natural|Paper Boat', '200 ml|1 L', 25, {
          variants: 'Mixed Fruit|Orange|Guava|Litchi|Apple',
          tags: 'juice',
        }),
        item('Coconut Water', 'Raw Pressery|Paper Boat|Real', '200 ml|1 L', 45, { tags: 'juice|healthy' }),
        item('Aam Panna', 'Paper Boat|Dabur', '250 ml', 30, { tags: 'juice|summer' }),
      ]),
    ],
  },
  {
    slug: 'breakfast-and-instant-food',
    name: 'Breakfast & Instant Food',
    description: 'Noodles, pasta, cereals, spreads and ready-to-cook meals',
    subs: [
      sub('noodles-and-pasta', 'Noodles & Pasta', 'NDL', [
        item('Instant Noodles', "Maggi|Yippee|Top Ramen|Ching's Secret", '70 g|280 g|560 g', 14, {
          variants: 'Masala|Atta|Hot Garlic|Schezwan',
          tags: 'noodles|instant',
        }),
        item('Pasta', 'Del Monte|Borges|Bambino|Sunfeast', '500 g|1 kg', 70, {
          variants: 'Penne|Fusilli|Macaroni|Spaghetti',
          tags: 'pasta',
        }),
        item('Vermicelli', 'Bambino|MTR', '200 g|450 g', 25, { tags: 'breakfast' }),
      ]),
      sub('breakfast-cereals', 'Breakfast Cereals', 'CRL', [
        item('Corn Flakes', "Kellogg's|Bagrry's|Saffola|True Elements", '250 g|475 g|875 g', 110, {
          variants: 'Original|Honey',
          tags: 'cereal|breakfast',
        }),
        item('Muesli', "Kellogg's|Bagrry's|Yogabar|True Elements", '400 g|750 g', 260, {
          variants: 'Fruit & Nut|Dark Chocolate|No Added Sugar',
          tags: 'cereal|healthy',
        }),
        item('Rolled Oats', "Quaker|Saffola|Bagrry's|True Elements", '400 g|1 kg', 100, {
          tags: 'oats|healthy',
        }),
      ]),
      sub('sauces-and-spreads', 'Sauces & Spreads', 'SAU', [
        item('Tomato Ketchup', 'Kissan|Maggi|Heinz|Del Monte', '200 g|500 g|950 g', 45, { tags: 'sauce' }),
        item('Peanut Butter', 'Pintola|Sundrop|MyFitness|Alpino', '340 g|1 kg', 180, {
          variants: 'Creamy|Crunchy|Chocolate',
          tags: 'spread|high-protein',
        }),
        item('Mixed Fruit Jam', 'Kissan|Mapro|Del Monte', '200 g|500 g', 70, { tags: 'spread' }),
        item('Honey', 'Dabur|Saffola|Patanjali|Apis', '250 g|500 g|1 kg', 110, { tags: 'honey|healthy' }),
        item('Mayonnaise', 'Funfoods|Del Monte|Wingreens', '250 g|875 g', 70, {
          variants: 'Eggless|Classic|Garlic',
          tags: 'sauce',
        }),
      ]),
      sub('ready-to-cook', 'Ready to Cook & Eat', 'RTC', [
        item('Breakfast Mix', 'MTR|Gits|Aashirvaad', '200 g|500 g', 60, {
          variants: 'Rava Idli|Dosa|Upma|Poha',
          tags: 'instant',
        }),
        item('Ready to Eat Curry', "MTR|Haldiram's|ITC Kitchens of India", '300 g', 110, {
          variants: 'Dal Makhani|Paneer Butter Masala|Rajma Masala|Palak Paneer',
          tags: 'instant|ready-to-eat',
        }),
      ]),
    ],
  },
  {
    slug: 'personal-care',
    name: 'Personal Care',
    description: 'Bath, hair, oral and skin care',
    subs: [
      sub('bath-and-body', 'Bath & Body', 'BTH', [
        item('Soap', 'Dove|Lux|Santoor|Pears|Lifebuoy|Mysore Sandal', '75 g|125 g|4 x 125 g', 45, {
          tags: 'bath',
        }),
        item('Body Wash', 'Dove|Nivea|Fiama|Park Avenue', '250 ml|500 ml', 220, { tags: 'bath' }),
        item('Hand Wash', 'Dettol|Lifebuoy|Savlon|Palmolive', '200 ml|750 ml', 99, {
          variants: 'Original|Lemon|Aloe Vera',
          tags: 'hygiene',
        }),
      ]),
      sub('hair-care', 'Hair Care', 'HAR', [
        item(
          'Shampoo',
          'Head & Shoulders|Dove|Clinic Plus|Pantene|Sunsilk|Tresemme',
          '180 ml|340 ml|650 ml',
          180,
          {
            variants: 'Anti Dandruff|Smooth & Silky|Hair Fall Rescue',
            tags: 'hair-care',
          },
        ),
        item('Conditioner', 'Dove|Pantene|Tresemme', '175 ml|335 ml', 200, { tags: 'hair-care' }),
        item('Hair Oil', 'Parachute|Dabur Amla|Bajaj Almond Drops|Indulekha', '100 ml|200 ml|500 ml', 90, {
          tags: 'hair-care',
        }),
      ]),
      sub('oral-care', 'Oral Care', 'ORL', [
        item('Toothpaste', 'Colgate|Pepsodent|Sensodyne|Close Up|Dabur Red', '100 g|150 g|300 g', 60, {
          variants: 'Strong Teeth|Herbal|Whitening',
          tags: 'oral-care',
        }),
        item('Toothbrush', 'Colgate|Oral-B|Sensodyne', '1 pc|4 pcs', 40, {
          variants: 'Soft|Medium',
          tags: 'oral-care',
        }),
        item('Mouthwash', 'Listerine|Colgate Plax', '250 ml|500 ml', 150, {
          variants: 'Cool Mint|Fresh Tea',
          tags: 'oral-care',
        }),
      ]),
      sub('skin-care', 'Skin Care', 'SKN', [
        item('Face Wash', 'Himalaya|Garnier|Cetaphil|Mamaearth|Nivea Men', '50 ml|100 ml|150 ml', 120, {
          variants: 'Neem|Oil Control|Vitamin C',
          tags: 'skin-care',
        }),
        item('Body Lotion', 'Vaseline|Nivea|Parachute Advansed', '200 ml|400 ml', 200, {
          variants: 'Deep Moisture|Aloe Fresh',
          tags: 'skin-care',
        }),
        item('Sunscreen', 'Lakme|Neutrogena|Mamaearth|Minimalist', '50 ml|100 ml', 350, {
          tags: 'skin-care|summer',
        }),
        item('Moisturising Cream', 'Nivea|Ponds|Lakme', '50 ml|100 ml|200 ml', 150, { tags: 'skin-care' }),
      ]),
    ],
  },
  {
    slug: 'cleaning-essentials',
    name: 'Cleaning Essentials',
    description: 'Detergents, dishwash, floor cleaners, fresheners and repellents',
    subs: [
      sub('detergents', 'Detergents & Fabric Care', 'DET', [
        item('Detergent Powder', 'Surf Excel|Ariel|Tide|Rin|Wheel|Ghadi', '500 g|1 kg|4 kg', 120, {
          variants: 'Easy Wash|Matic Top Load|Matic Front Load',
          tags: 'laundry',
        }),
        item('Liquid Detergent', 'Surf Excel|Ariel|Tide|Genteel', '1 L|2 L', 220, {
          variants: 'Top Load|Front Load',
          tags: 'laundry',
        }),
        item('Fabric Conditioner', 'Comfort|Lenor|Surf Excel', '220 ml|860 ml', 60, {
          variants: 'Lily Fresh|Morning Fresh',
          tags: 'laundry',
        }),
      ]),
      sub('dishwash', 'Dishwash', 'DSH', [
        item('Dishwash Bar', 'Vim|Exo|Pril', '200 g|3 x 200 g', 20, { tags: 'dishwash' }),
        item('Dishwash Liquid', 'Vim|Pril|Exo', '250 ml|500 ml|2 L', 55, {
          variants: 'Lemon|Pudina',
          tags: 'dishwash',
        }),
        item('Scrub Pad', 'Scotch-Brite|Gala', '1 pc|3 pcs', 25, { tags: 'dishwash' }),
      ]),
      sub('floor-and-surface-cleaners', 'Floor & Surface Cleaners', 'FLR', [
        item('Floor Cleaner', 'Lizol|Harpic|Dettol|Domex', '500 ml|975 ml|2 L', 105, {
          variants: 'Citrus|Floral|Pine|Lavender',
          tags: 'cleaning',
        }),
        item('Toilet Cleaner', 'Harpic|Domex|Lizol', '500 ml|1 L', 95, {
          variants: 'Original|Power Plus',
          tags: 'cleaning',
        }),
        item('Glass Cleaner', 'Colin|Mr Muscle', '250 ml|500 ml', 99, { tags: 'cleaning' }),
      ]),
      sub('fresheners-and-repellents', 'Fresheners & Repellents', 'FRS', [
        item('Room Freshener Spray', 'Godrej aer|Ambi Pur|Odonil', '240 ml|300 ml', 190, {
          variants: 'Lavender|Citrus|Rose',
          tags: 'freshener',
        }),
        item('Mosquito Repellent Refill', 'Good Knight|All Out|Mortein', '45 ml|2 x 45 ml', 80, {
          tags: 'repellent',
        }),
        item('Mosquito Coil', 'Good Knight|Mortein|Maxo', '10 pcs|20 pcs', 40, { tags: 'repellent' }),
      ]),
    ],
  },
  {
    slug: 'baby-care',
    name: 'Baby Care',
    description: 'Diapers, wipes, baby food and baby bath',
    subs: [
      sub('diapers-and-wipes', 'Diapers & Wipes', 'DIA', [
        item('Diaper Pants', 'Pampers|Huggies|MamyPoko|Libero', '20 pcs|42 pcs|76 pcs', 399, {
          variants: 'Small|Medium|Large|XL',
          tags: 'diapers',
        }),
        item('Baby Wipes', 'Pampers|Himalaya|Mamaearth|Huggies', '72 pcs|3 x 72 pcs', 150, { tags: 'wipes' }),
      ]),
      sub('baby-food', 'Baby Food', 'BFD', [
        item('Infant Formula', 'Nestle Lactogen|Nestle Nan Pro|Similac', '400 g|1 kg', 450, {
          variants: 'Stage 1|Stage 2|Stage 3',
          tags: 'baby-food',
        }),
        item('Baby Cereal', 'Nestle Cerelac|Slurrp Farm|Timios', '300 g|1 kg', 250, {
          variants: 'Wheat Apple|Rice|Multigrain Dal Veg',
          tags: 'baby-food',
        }),
      ]),
      sub('baby-bath-and-skin', 'Baby Bath & Skin', 'BBS', [
        item('Baby Shampoo', "Johnson's|Himalaya|Sebamed|Mamaearth", '100 ml|200 ml|400 ml', 150, {
          tags: 'baby-bath',
        }),
        item('Baby Lotion', "Johnson's|Himalaya|Mamaearth", '100 ml|200 ml|400 ml', 160, {
          tags: 'baby-skin',
        }),
        item('Baby Powder', "Johnson's|Himalaya", '100 g|200 g|400 g', 100, { tags: 'baby-skin' }),
      ]),
    ],
  },
  {
    slug: 'meat-and-fish',
    name: 'Meat & Fish',
    description: 'Fresh chicken, mutton and seafood, cleaned and cut',
    subs: [
      sub('chicken', 'Chicken', 'CHK', [
        item('Chicken Curry Cut', MEAT, '450 g|1 kg', 180, {
          variants: 'Skinless|With Skin',
          tags: 'chicken|non-veg',
        }),
        item('Chicken Breast Boneless', 'Licious|FreshToHome|Zorabian', '250 g|450 g', 160, {
          tags: 'chicken|non-veg|high-protein',
        }),
        item('Chicken Keema', 'Licious|FreshToHome', '250 g|450 g', 150, { tags: 'chicken|non-veg' }),
        item('Chicken Drumsticks', 'Licious|FreshToHome|Zorabian', '450 g', 210, { tags: 'chicken|non-veg' }),
      ]),
      sub('mutton', 'Mutton', 'MTN', [
        item('Goat Curry Cut', 'Licious|FreshToHome|Meatigo', '450 g|1 kg', 520, { tags: 'mutton|non-veg' }),
        item('Mutton Keema', 'Licious|FreshToHome', '250 g|450 g', 380, { tags: 'mutton|non-veg' }),
        item('Lamb Chops', 'Licious|FreshToHome', '250 g|450 g', 450, { tags: 'mutton|non-veg' }),
      ]),
      sub('fish-and-seafood', 'Fish & Seafood', 'FSH', [
        item('Rohu Curry Cut', 'Licious|FreshToHome', '500 g|1 kg', 180, { tags: 'fish|non-veg' }),
        item('Prawns Medium Cleaned', 'Licious|FreshToHome|Captain Fresh', '250 g|500 g', 290, {
          tags: 'seafood|non-veg',
        }),
        item('Seer Fish Steaks', 'Licious|FreshToHome', '250 g|500 g', 480, { tags: 'fish|non-veg' }),
        item('Pomfret', 'Licious|FreshToHome|Captain Fresh', '500 g|1 kg', 450, {
          variants: 'White|Black',
          tags: 'fish|non-veg',
        }),
      ]),
    ],
  },
  {
    slug: 'frozen-food',
    name: 'Frozen Food',
    description: 'Frozen snacks, ice creams and frozen vegetables',
    subs: [
      sub('frozen-snacks', 'Frozen Snacks', 'FSN', [
        item('French Fries', 'McCain|Safal|ITC Master Chef', '420 g|750 g|1.5 kg', 110, {
          variants: 'Classic|Crinkle|Peri Peri',
          tags: 'frozen|snacks',
        }),
        item('Nuggets', 'Yummiez|Prasuma|ITC Master Chef|Godrej Real Good', '400 g|1 kg', 250, {
          variants: 'Chicken|Veg',
          tags: 'frozen',
        }),
        item('Frozen Paratha', "Sumeru|Haldiram's|ITC Kitchens of India", '5 pcs|10 pcs|20 pcs', 90, {
          variants: 'Malabar|Aloo|Lachha',
          tags: 'frozen|breakfast',
        }),
        item('Momos', 'Prasuma|Yummiez', '10 pcs|24 pcs', 180, {
          variants: 'Veg|Chicken|Paneer',
          tags: 'frozen|snacks',
        }),
      ]),
      sub('ice-creams', 'Ice Creams', 'ICE', [
        item('Ice Cream Tub', 'Amul|Kwality Walls|Havmor|Baskin Robbins|Vadilal', '500 ml|700 ml|1 L', 180, {
          variants: 'Vanilla|Chocolate|Butterscotch|Kesar Pista|Black Currant',
          tags: 'ice-cream|dessert',
        }),
        item('Ice Cream Cone', 'Cornetto|Amul|Havmor', '1 pc|4 pcs', 40, {
          variants: 'Double Chocolate|Butterscotch|Strawberry',
          tags: 'ice-cream',
        }),
        item('Kulfi', 'Amul|Havmor|Kwality Walls', '1 pc|6 pcs', 25, {
          variants: 'Malai|Mango|Kesar Pista',
          tags: 'ice-cream',
        }),
      ]),
      sub('frozen-vegetables', 'Frozen Vegetables', 'FVG', [
        item('Green Peas', 'Safal|McCain|Sumeru', '200 g|500 g|1 kg', 50, { tags: 'frozen|vegetable' }),
        item('Sweet Corn', 'Safal|McCain|Sumeru', '200 g|500 g|1 kg', 60, { tags: 'frozen|vegetable' }),
        item('Mixed Vegetables', 'Safal|Sumeru|McCain', '500 g|1 kg', 90, { tags: 'frozen|vegetable' }),
      ]),
    ],
  },
  {
    slug: 'pet-care',
    name: 'Pet Care',
    description: 'Food, treats and litter for dogs and cats',
    subs: [
      sub('dog-food', 'Dog Food & Treats', 'DOG', [
        item('Dry Dog Food', 'Pedigree|Drools|Royal Canin|Purepet', '400 g|1.2 kg|3 kg', 250, {
          variants: 'Adult Chicken and Veg|Puppy Milk and Chicken',
          tags: 'dog|pet-food',
        }),
        item('Dog Treats', 'Pedigree|Gnawlers|Drools', '90 g|500 g', 150, {
          variants: 'Dentastix|Chicken Sticks',
          tags: 'dog|treats',
        }),
        item('Wet Dog Food', 'Pedigree|Drools', '70 g|15 x 70 g', 50, {
          variants: 'Chicken Chunks|Lamb',
          tags: 'dog|pet-food',
        }),
      ]),
      sub('cat-food', 'Cat Food & Litter', 'CAT', [
        item('Dry Cat Food', 'Whiskas|Me-O|Royal Canin|Purepet', '480 g|1.2 kg|3 kg', 320, {
          variants: 'Ocean Fish|Tuna|Chicken',
          tags: 'cat|pet-food',
        }),
        item('Wet Cat Food', 'Whiskas|Me-O|Sheba', '80 g|12 x 80 g', 45, {
          variants: 'Tuna in Jelly|Mackerel|Chicken in Gravy',
          tags: 'cat|pet-food',
        }),
        item('Cat Litter', 'Catsan|Drools', '5 kg|10 kg', 450, { tags: 'cat' }),
      ]),
    ],
  },
];

// --- categories -----------------------------------------------------------------------------------------

const CATEGORY_EPOCH = EPOCH - 24 * 3600 * 1000;
const categoryId = (slug: string, n: number) =>
  deterministicUlid(CATEGORY_EPOCH + n * 1000, `category:${slug}`);

interface SeedSub {
  readonly category: Category;
  readonly spec: SubSpec;
}

function buildCategories(): { categories: Category[]; subs: SeedSub[] } {
  const categories: Category[] = [];
  const subs: SeedSub[] = [];
  let n = 0;
  const base = (
    slug: string,
    name: string,
    sortOrder: number,
    description: string,
    parentId?: string,
  ): Category => {
    const at = new Date(CATEGORY_EPOCH + n * 1000).toISOString();
    return {
      id: categoryId(slug, n++),
      slug,
      name,
      description,
      imageUrl: `https://images.zepto.example/categories/${slug}.webp`,
      sortOrder,
      parentId,
      productCount: 0,
      activeProductCount: 0,
      childCount: 0,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
  };
  CATALOGUE.forEach((top, t) => {
    const parent = base(top.slug, top.name, (t + 1) * 10, top.description);
    categories.push(parent);
    top.subs.forEach((s, i) => {
      const child = base(s.slug, s.name, (i + 1) * 10, `${s.name} in ${top.name}`, parent.id);
      categories.push(child);
      subs.push({ category: child, spec: s });
    });
  });
  return { categories, subs };
}

// --- products -------------------------------------------------------------------------------------------

/** One sellable combination before it gets an index (and so an id, SKU and slug). */
interface Draft {
  readonly sub: SeedSub;
  readonly name: string;
  readonly brand?: string;
  readonly unit: string;
  readonly pricePaise: number;
  readonly mrpPaise: number;
  readonly tags: readonly string[];
  readonly description: string;
}

const QUANTITY = /^(?:(\d+) x )?(\d+(?:\.\d+)?) (\w+)$/;
const TO_BASE: Record<string, number> = { g: 1, kg: 1000, ml: 1, L: 1000, pc: 1, pcs: 1 };

/** Quantity in base units (g, ml, pieces) of a pack size such as "2 x 500 g". */
function quantityOf(size: string): number {
  const m = QUANTITY.exec(size);
  if (!m) throw new Error(`Unparsable pack size ${size}`);
  const factor = TO_BASE[m[3]!];
  if (factor === undefined) throw new Error(`Unknown unit in ${size}`);
  return Number(m[1] ?? 1) * Number(m[2]) * factor;
}

const rupees = (value: number) => Math.max(1, Math.round(value));

/** Price and MRP of one size of an item for a brand/variant: bigger packs are cheaper per unit. */
function pricing(spec: ItemSpec, brand: string, variant: string | undefined, size: string) {
  const ratio = quantityOf(size) / quantityOf(spec.sizes[0]!);
  const brandFactor = 0.85 + 0.5 * unit(`brand:${brand}:${spec.name}`);
  const variantFactor = variant ? 0.95 + 0.2 * unit(`variant:${variant}:${spec.name}`) : 1;
  const mrp = rupees(spec.rupees * ratio ** 0.92 * brandFactor * variantFactor);
  const key = `discount:${brand}:${spec.name}:${variant ?? ''}:${size}`;
  const discount = unit(key) < 0.35 ? 0 : 0.05 + 0.2 * unit(`${key}:depth`);
  return { mrpPaise: mrp * 100, pricePaise: rupees(mrp * (1 - discount)) * 100 };
}

/** Round-robin over lists: the first of each, then the second of each, ... (so any prefix spans them all). */
function* interleave<T>(lists: readonly (readonly T[])[]): Generator<T> {
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (i < list.length) yield list[i]!;
}

function baseDrafts(subs: readonly SeedSub[]): Draft[][] {
  // Per item: every brand × variant × size. Items of all subcategories are then interleaved.
  const perItem: Draft[][] = [];
  for (const s of subs)
    for (const spec of s.spec.items) {
      const drafts: Draft[] = [];
      for (const size of spec.sizes)
        for (const brand of spec.brands)
          for (const variant of spec.variants) {
            const organic = /organic/i.test(brand);
            drafts.push({
              sub: s,
              name: [brand, spec.name, variant].filter(Boolean).join(' '),
              brand,
              unit: size,
              ...pricing(spec, brand, variant, size),
              tags: [...spec.tags, ...(organic ? ['organic'] : [])],
              description: `${variant ? `${variant} ` : ''}${spec.name} by ${brand}, ${size}. ${s.spec.name} delivered in minutes.`,
            });
          }
      perItem.push(drafts);
    }
  return perItem;
}

const MULTIPACKS = [2, 3, 4, 6];

function multipack(draft: Draft, times: number): Draft | undefined {
  const m = /^(?:(\d+) x )?(.+)$/.exec(draft.unit)!;
  const count = Number(m[1] ?? 1) * times;
  if (count > 99) return undefined;
  return {
    ...draft,
    name: `${draft.name} (Pack of ${times})`,
    unit: `${count} x ${m[2]}`,
    // Multipacks sell at 4% off the single price, never above the summed MRP.
    pricePaise: Math.min(draft.mrpPaise * times, Math.round((draft.pricePaise * times * 0.96) / 100) * 100),
    mrpPaise: draft.mrpPaise * times,
    tags: [...draft.tags, 'multipack'],
    description: `Pack of ${times}: ${draft.description}`,
  };
}

function combo(a: Draft, b: Draft): Draft {
  const short = (d: Draft) => `${d.name} ${d.unit}`;
  const name = `Combo: ${short(a)} + ${short(b)}`;
  return {
    sub: a.sub,
    name: name.length <= 120 ? name : `Combo: ${a.name} + ${b.name}`.slice(0, 120).trimEnd(),
    brand: a.brand === b.brand ? a.brand : undefined,
    unit: '1 pack',
    pricePaise: Math.round(((a.pricePaise + b.pricePaise) * 0.95) / 100) * 100,
    mrpPaise: a.mrpPaise + b.mrpPaise,
    tags: [...new Set([...a.tags, ...b.tags, 'combo'])],
    description: `Save on ${a.name} (${a.unit}) with ${b.name} (${b.unit}).`,
  };
}

/** Every product draft in catalogue order: singles, then multipacks, then combos within a subcategory. */
function* drafts(subs: readonly SeedSub[]): Generator<Draft> {
  const perItem = baseDrafts(subs);
  const singles = [...interleave(perItem)];
  yield* singles;
  for (const times of MULTIPACKS)
    for (const d of singles) {
      const pack = multipack(d, times);
      if (pack) yield pack;
    }
  // Pairs (a, a + distance) of singles of the same subcategory, subcategories interleaved.
  const bySub = subs.map((s) => singles.filter((d) => d.sub === s));
  const longest = Math.max(...bySub.map((l) => l.length));
  for (let distance = 1; distance < longest; distance++)
    for (let a = 0; a + distance < longest; a++)
      for (const list of bySub) if (a + distance < list.length) yield combo(list[a]!, list[a + distance]!);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** 3% of products are inactive (delisted), so listings and counters have something to leave out. */
const isActive = (sku: string) => unit(`active:${sku}`) >= 0.03;

export interface CatalogSeed {
  readonly categories: readonly Category[];
  readonly products: readonly Product[];
}

/** The first `count` products of the catalogue and every category, with exact counters. */
export function catalogSeedData(count: number = DEFAULT_SEED_PRODUCTS): CatalogSeed {
  if (!Number.isInteger(count) || count < 0 || count > MAX_SEED_PRODUCTS)
    throw new RangeError(
      `Seed product count must be an integer from 0 to ${MAX_SEED_PRODUCTS}, got ${count}`,
    );
  const { categories, subs } = buildCategories();
  const products: Product[] = [];
  const slugs = new Set<string>();
  for (const draft of drafts(subs)) {
    if (products.length >= count) break;
    const index = products.length;
    const sku = `ZP-${draft.sub.spec.code}-${String(index).padStart(6, '0')}`;
    let slug = slugify(`${draft.name} ${draft.unit}`);
    // A repeated name gets its index appended (natural slugs end in a unit, never in digits).
    if (slugs.has(slug)) slug = `${slugify(`${draft.name} ${draft.unit}`, 72)}-${index}`;
    if (slugs.has(slug)) throw new Error(`Duplicate seed slug ${slug}`);
    slugs.add(slug);
    const at = new Date(EPOCH + index * 1000).toISOString();
    products.push({
      id: deterministicUlid(EPOCH + index * 1000, `product:${sku}`),
      sku,
      slug,
      name: draft.name,
      brand: draft.brand,
      description: draft.description,
      categoryId: draft.sub.category.id,
      unit: draft.unit,
      pricePaise: draft.pricePaise,
      mrpPaise: draft.mrpPaise,
      currency: 'INR',
      imageKeys: [],
      tags: draft.tags.slice(0, 20),
      isActive: isActive(sku),
      maxPerOrder: DEFAULT_MAX_PER_ORDER,
      // Skewed like sales: most products sell a little, a few a lot.
      popularity: Math.round(unit(`popularity:${sku}`) ** 3 * 1000),
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
  }
  if (products.length < count) throw new Error(`The seed catalogue has only ${products.length} products`);

  const counted = new Map(categories.map((c) => [c.id, { ...c } as Mutable<Category>]));
  for (const c of categories) if (c.parentId) counted.get(c.parentId)!.childCount++;
  for (const p of products) {
    const c = counted.get(p.categoryId)!;
    c.productCount++;
    if (p.isActive) c.activeProductCount++;
  }
  return { categories: [...counted.values()], products };
}
