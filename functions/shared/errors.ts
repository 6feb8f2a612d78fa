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

  constructor(detail: string, errors?: readonly FieldError[]) {
    super(detail);
    this.name = new.target.name;
    if (errors) this.errors = errors;
  }
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly title = 'Invalid request';
  readonly code = 'validation';
}
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly code = 'unauthorized';
}
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Forbidden';
  readonly code = 'forbidden';
}
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
  readonly code = 'not-found';
}
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
  readonly code = 'conflict';
}
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly title = 'Payload too large';
  readonly code = 'payload-too-large';
}
export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly title = 'Unsupported media type';
  readonly code = 'unsupported-media-type';
}
export class UnprocessableError extends DomainError {
  readonly status = 422;
  readonly title = 'Unprocessable request';
  readonly code = 'unprocessable';
}
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too many requests';
  readonly code = 'too-many-requests';
}
/** A dependency we rely on (e.g. Cognito) said no for a reason that is not the caller's fault. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly title = 'Service unavailable';
  readonly code = 'service-unavailable';
}
