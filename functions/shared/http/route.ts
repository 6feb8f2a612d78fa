import type * as z from 'zod/v4/core';
import '../zod-messages';
import { once } from '../once';

/** Cognito groups. `customer` is given to everyone at registration. */
export const ROLES = ['customer', 'merchant', 'store_staff', 'delivery_partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: nobody needs a token (`public`), or a token whose groups include one of `roles`.
 * A public route that `identifiesCaller` still answers anonymous requests, but checks a token that comes
 * along (the function does: the gateway runs no authorizer on public routes) and gives the use case its
 * caller; a presented token that is not valid is a 401 (functions/shared/http/caller-token.ts).
 */
export type RouteAuth =
  { readonly public: true; readonly identifiesCaller?: true } | { readonly roles: readonly Role[] };

export const identifiesCaller = (auth: RouteAuth): boolean =>
  'public' in auth && auth.identifiesCaller === true;

/**
 * The contract of one HTTP route: the single place that says its method, path, who may call it and the
 * shape of what it takes and returns. The handler validates with it, CDK and the local gateway route and
 * authorize with it, and the OpenAPI document is generated from it.
 */
export interface RouteContract<
  B extends z.$ZodType = z.$ZodType,
  P extends z.$ZodType = z.$ZodType,
  Q extends z.$ZodType = z.$ZodType,
  H extends z.$ZodType = z.$ZodType,
> {
  readonly method: HttpMethod;
  /** API Gateway style path, e.g. `/v1/products/{productId}`. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly auth: RouteAuth;
  /**
   * The schemas of what the route takes, built when asked: once at init by the route's own function
   * (`httpHandler`) and by the OpenAPI generator. A contracts module builds no schema when it is imported,
   * so a function never builds, nor pays V8's first compile of, another route's schemas
   * (docs/decisions/0010-lean-functions.md). `defineRoute` builds them at most once.
   */
  readonly request?: () => RequestSchemas<B, P, Q, H>;
  /** Success status and body. Error statuses (problem+json) are added by the runtime and the generator. */
  readonly success: {
    readonly status: 200 | 201 | 202 | 204;
    readonly description: string;
    readonly schema?: ResponseSchema;
  };
  /**
   * Domain error statuses this route can answer beyond those the runtime adds: 400 and 500 on every route,
   * 401 and 403 on protected routes, 413 and 415 on routes with a body, 409 and 422 on idempotent routes.
   */
  readonly errors?: readonly number[];
  /**
   * The route moves money or stock: it requires an `Idempotency-Key` header, and a retry with the same key
   * replays the first answer (functions/shared/http/idempotency.ts). Protected routes only.
   */
  readonly idempotent?: boolean;
}

/** What a route validates a request with. */
export interface RequestSchemas<
  B extends z.$ZodType = z.$ZodType,
  P extends z.$ZodType = z.$ZodType,
  Q extends z.$ZodType = z.$ZodType,
  H extends z.$ZodType = z.$ZodType,
> {
  readonly body?: B;
  readonly pathParams?: P;
  readonly query?: Q;
  /** Headers the route reads (lower-case names); validated like the rest. */
  readonly headers?: H;
}

/** The header an idempotent route requires: what clients send (UUIDs, ULIDs, …), bounded. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{8,128}$/;

/**
 * The schema of a response body, built when asked for. Only the OpenAPI generator asks: the runtime does
 * not validate what it answers, so a function never builds the schemas that document its responses, which
 * would cost its cold start (V8 compiles zod's code on its first use; docs/decisions/0010-lean-functions.md).
 */
export type ResponseSchema<T extends z.$ZodType = z.$ZodType> = () => T;

/** The body a response schema describes (what views build). */
export type ResponseBody<S extends ResponseSchema> = z.output<ReturnType<S>>;

export function defineRoute<
  B extends z.$ZodType,
  P extends z.$ZodType,
  Q extends z.$ZodType,
  H extends z.$ZodType = z.$ZodType,
>(contract: RouteContract<B, P, Q, H>): RouteContract<B, P, Q, H> {
  return contract.request ? { ...contract, request: once(contract.request) } : contract;
}

/** A route's request schemas (none for a route that takes nothing). */
export const requestSchemas = (route: RouteContract): RequestSchemas => route.request?.() ?? {};

export const isPublic = (auth: RouteAuth): auth is Extract<RouteAuth, { public: true }> => 'public' in auth;
