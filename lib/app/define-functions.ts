import type { RouteContract } from '../../functions/shared/http/route';
import type { FunctionDef } from './types';

/** One HTTP function of a service: what sets it apart from the service's other functions. */
type HttpFunctionSpec = Omit<FunctionDef, 'service' | 'entry' | 'trigger'> & {
  /** Handler file under functions/<service>/handlers/, without `.ts`. */
  readonly handler: string;
  readonly route: RouteContract;
};

/** The table every idempotent route's function keeps its keys in (functions/shared/http/idempotency.ts). */
export const IDEMPOTENCY_TABLE = 'Idempotency';

/**
 * The function definitions of one service's routes, each handler in functions/<service>/handlers/. An
 * idempotent route's function gets read-write access to the idempotency table without saying so.
 */
export function defineHttpFunctions(service: string, specs: readonly HttpFunctionSpec[]): FunctionDef[] {
  return specs.map(({ name, handler, description, route, ...access }) => ({
    name,
    service,
    entry: `functions/${service}/handlers/${handler}.ts`,
    description,
    trigger: { kind: 'http', route },
    ...access,
    ...(route.idempotent ? { tables: { ...access.tables, [IDEMPOTENCY_TABLE]: 'readWrite' as const } } : {}),
  }));
}
