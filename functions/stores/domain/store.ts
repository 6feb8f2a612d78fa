/** The dark store: what it is, where it serves and when. Plain data; no AWS SDK here. */
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '#shared/errors';
import type { StaffRole } from '#shared/published/store-access';
import type { OpeningHours } from '#shared/published/store-hours';

export type { StaffRole } from '#shared/published/store-access';

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Cognito `sub`s are UUIDs. */
export const USER_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

export type ServiceArea =
  | { readonly type: 'radius'; readonly radiusMetres: number }
  | { readonly type: 'polygon'; readonly vertices: readonly LatLng[] };

export { WEEKDAYS } from '#shared/published/store-hours';
export type { Interval, OpeningHours, Weekday } from '#shared/published/store-hours';
export const STORE_STATUSES = ['open', 'paused', 'closed'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

export interface Store {
  readonly id: string;
  readonly name: string;
  readonly location: LatLng;
  readonly area: ServiceArea;
  readonly hours: OpeningHours;
  readonly prepMinutes: number;
  readonly status: StoreStatus;
  readonly merchantId: string;
  readonly staff: Readonly<Record<string, StaffRole>>;
  /** The H3 cells (domain/cells.ts) indexed for this store's service area. */
  readonly cells: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export const storeErrors = {
  notFound: (id: string) => new NotFoundError(`No store ${id}.`),
  userNotFound: (userId: string) => new NotFoundError(`No user ${userId}.`),
  lacksRole: (userId: string, role: string) =>
    new ConflictError(
      `User ${userId} does not hold the ${role} role: give it first (PUT /v1/admin/users/{userId}/roles).`,
    ),
  changedMeanwhile: () =>
    new ConflictError('The store was changed by another request meanwhile; read it again and retry.'),
  invalid: (errors: readonly FieldError[]) => new ValidationError('The request has invalid fields.', errors),
};
