import * as z from 'zod/mini';
import './zod-messages';

/**
 * Parses the environment once, at cold start. A missing or malformed variable fails the init phase
 * with every problem named, rather than a request later.
 */
export function parseEnv<S extends z.core.$ZodShape>(
  shape: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodMiniObject<S>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}

/**
 * A `true` / `false` variable, read as a boolean. A builder, since every function imports this module and
 * only two parse such a variable (schemas cost their first compile at init; ADR 10).
 */
export const booleanString = () =>
  z.pipe(
    z.enum(['true', 'false']),
    z.transform((v) => v === 'true'),
  );
