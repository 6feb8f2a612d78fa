/**
 * The one place that wires the catalogue's use cases to AWS. Handlers call these at module scope, so the
 * environment is parsed once per execution environment and a missing variable fails the cold start.
 */
import { cacheFromEnv } from '#shared/cache/index';
import type { CatalogDeps } from './ports';
import { catalogRepositoryDeps } from './wiring-repository';

export function catalogDeps(): CatalogDeps {
  return {
    ...catalogRepositoryDeps(),
    // The pass-through cache when the function has no CACHE_ENDPOINT (cache off, or not declared).
    cache: cacheFromEnv(),
  };
}
