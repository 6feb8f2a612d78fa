import { z } from 'zod';

/**
 * Parses the environment once, at cold start. A missing or malformed variable fails the init phase
 * with every problem named, rather than a request later.
 */
export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  return result.data;
}

export const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');
