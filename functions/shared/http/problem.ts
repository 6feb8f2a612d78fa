import type { APIGatewayProxyResult } from 'aws-lambda';
import { DomainError, type FieldError } from '../errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  /** Extension members of a particular problem type (RFC 9457 §3.2). */
  readonly [extension: string]: unknown;
}

/** RFC 9457 body for a domain error; `type` is a relative URI documented in docs/api.md. */
export function problemFor(error: DomainError, instance?: string): Problem {
  return {
    ...error.extensions,
    type: `/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

/** The only body a client sees for an unexpected failure: nothing about the cause. */
export const internalProblem = (instance?: string): Problem => ({
  type: '/problems/internal',
  title: 'Internal server error',
  status: 500,
  detail: 'Something went wrong on our side. Try again later.',
  ...(instance ? { instance } : {}),
});

export function problemResponse(problem: Problem): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
