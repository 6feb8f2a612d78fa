/**
 * Domain errors carry their HTTP status; one mapper (http/problem.ts) turns them into problem+json.
 * Anything that is not a DomainError is a bug or an outage and becomes a generic 500.
 */
export interface FieldError {
  /** Where the bad value was: body, path, query or header. */
  readonly in: 'body' | 'path' | 'query' | 'header';
  /** Dotted path of the field inside that part, '' for the part itself. */
  readonly field: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  /** Short machine-readable slug, used in the problem `type` URI. */
  abstract readonly code: string;
  readonly errors?: readonly FieldError[];
  /**
   * RFC 9457 extension members added to the problem body (e.g. `lines` of a checkout refused for stock).
   * They never override the standard members (type, title, status, detail, instance, errors).
   */
  readonly extensions?: Readonly<Record<string, unknown>>;

  constructor(
    detail: string,
    errors?: readonly FieldError[],
    extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(detail);
    this.name = new.target.name;
    if (errors) this.errors = errors;
    if (extensions) this.extensions = extensions;
  }
}

/**
 * The base class of one kind of domain error: `class NotFoundError extends domainError(404, ...) {}`.
 * Each kind stays a class of its own, so `instanceof` tells them apart.
 */
export function domainError(status: number, title: string, code: string) {
  return class extends DomainError {
    readonly status = status;
    readonly title = title;
    readonly code = code;
  };
}

export class ValidationError extends domainError(400, 'Invalid request', 'validation') {}
export class UnauthorizedError extends domainError(401, 'Unauthorized', 'unauthorized') {}
export class ForbiddenError extends domainError(403, 'Forbidden', 'forbidden') {}
export class NotFoundError extends domainError(404, 'Not found', 'not-found') {}
export class ConflictError extends domainError(409, 'Conflict', 'conflict') {}
export class PayloadTooLargeError extends domainError(413, 'Payload too large', 'payload-too-large') {}
export class UnsupportedMediaTypeError extends domainError(
  415,
  'Unsupported media type',
  'unsupported-media-type',
) {}
export class UnprocessableEntityError extends domainError(
  422,
  'Unprocessable entity',
  'unprocessable-entity',
) {}
export class TooManyRequestsError extends domainError(429, 'Too many requests', 'too-many-requests') {}
/** A conditional request (`If-Match`) whose precondition no longer holds: the resource changed since. */
export class PreconditionFailedError extends domainError(412, 'Precondition failed', 'precondition-failed') {}
