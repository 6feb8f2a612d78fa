/** Store listing, staff assignment and the public store page (no H3 needed here). */
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '#shared/http/cursor';
import { ulidSchema } from '../contracts';
import { storeErrors, type StaffRole, type Store } from '../domain/store';
import type { StaffDeps, StoresDeps } from '../ports';
import { once } from '#shared/once';

const LIST_SCOPE = 'admin-stores';
const positionSchema = once(() => z.strictObject({ id: ulidSchema() }));

export async function listStores(
  deps: StoresDeps,
  request: { readonly limit: number; readonly cursor?: string },
): Promise<{ items: readonly Store[]; nextCursor: string | null }> {
  const position = decodeCursor(request.cursor, LIST_SCOPE, positionSchema);
  const page = await deps.stores.listStores({ limit: request.limit, after: position?.id });
  return { items: page.items, nextCursor: page.next ? encodeCursor({ id: page.next }, LIST_SCOPE) : null };
}

/**
 * Assigns a user to a store in a role. Only a user who exists and holds the role may be assigned: an
 * assignment the user's token could never use would be a silent no-op.
 */
export async function assignStaff(
  deps: StaffDeps,
  request: { readonly storeId: string; readonly userId: string; readonly role: StaffRole },
): Promise<Store> {
  const roles = await deps.users.roles(request.userId);
  if (!roles) throw storeErrors.userNotFound(request.userId);
  if (!roles.includes(request.role)) throw storeErrors.lacksRole(request.userId, request.role);
  return deps.stores.setStaff(request.storeId, request.userId, request.role, deps.now().toISOString());
}

/** Takes a user off a store (nothing to check: removing someone who is not there changes nothing). */
export async function removeStaff(
  deps: StoresDeps,
  request: { readonly storeId: string; readonly userId: string },
): Promise<Store> {
  return deps.stores.setStaff(request.storeId, request.userId, undefined, deps.now().toISOString());
}

export async function getStore(deps: Pick<StoresDeps, 'stores'>, storeId: string): Promise<Store> {
  const store = await deps.stores.getStore(storeId);
  if (!store) throw storeErrors.notFound(storeId);
  return store;
}
