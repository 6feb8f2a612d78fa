/**
 * zod's English messages for every schema in functions/. `zod/mini` (used for its cold-start cost) does not
 * load a locale by itself, so without this every issue would read "Invalid input". Imported for its side
 * effect by http/route.ts and env.ts, which every contract and environment parser imports. Only `en` ends
 * up in a bundle: the other locales are tree-shaken.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

z.config(en());
