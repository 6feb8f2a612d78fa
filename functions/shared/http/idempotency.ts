/**
 * `Idempotency-Key` for routes that move money or stock (ARCHITECTURE.md, conventions): the same caller,
 * route and key with the same request replays the first response; the same key with another request is
 * 422; a duplicate while the first is still running is 409. Built on Powertools idempotency with its
 * DynamoDB store (table `Idempotency`, declared for every function whose route is `idempotent`, see
 * lib/app/define-functions.ts). Only successful answers are kept: a request that failed (a 4xx domain
 * error or a fault) may be sent again with the same key and runs again.
 *
 * Handlers of idempotent routes use `idempotentHttpHandler` instead of `httpHandler`, so only they bundle
 * the idempotency package.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { JSONValue } from '@aws-lambda-powertools/commons/types';
import * as z from 'zod/mini';
import { dynamoDbClient } from '../aws/dynamodb';
import { parseEnv } from '../env';
import { ConflictError, UnprocessableEntityError } from '../errors';
import { HttpResponse, httpHandler, type IdempotencyLayer, type RouteHandler } from './handler';
import type { RouteContract } from './route';

/** How long a key is remembered (a client retrying for longer gets a new operation). */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

/** What the key (`userId`, `route`, `key`) and the validation hash (`request`) are computed from. */
interface IdempotencyPayload {
  readonly userId: string;
  readonly route: string;
  readonly key: string | undefined;
  readonly request: unknown;
}

interface StoredResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers: Record<string, string>;
}

export function idempotentHttpHandler<C extends RouteContract>(route: C, handle: RouteHandler<C>) {
  return httpHandler(route, handle, { idempotency: dynamoDbIdempotency(route) });
}

/** The idempotency layer of one route, kept in DynamoDB. */
export function dynamoDbIdempotency(
  route: RouteContract,
  env: NodeJS.ProcessEnv = process.env,
): IdempotencyLayer {
  const { IDEMPOTENCY_TABLE_NAME } = parseEnv(
    { IDEMPOTENCY_TABLE_NAME: z.string().check(z.minLength(1)) },
    env,
  );
  const config = new IdempotencyConfig({
    // The key is the caller's, the route's and the client's: one user's key never replays another's.
    eventKeyJmesPath: '[userId, route, key]',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
    // A replay is marked, so clients and logs can tell it from a first answer.
    responseHook: (response) => {
      const stored = response as unknown as StoredResponse;
      return { ...stored, headers: { ...stored.headers, 'idempotent-replayed': 'true' } } as JSONValue;
    },
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: IDEMPOTENCY_TABLE_NAME,
    awsSdkV3Client: dynamoDbClient,
  });
  const routeName = `${route.method} ${route.path}`;

  // Wrapped once per cold start: the payload (argument 0) feeds the key and the validation hash; the
  // second argument runs the use case on the parsed request.
  const once = makeIdempotent(
    async (_payload: IdempotencyPayload, run: () => Promise<StoredResponse>) => run(),
    { persistenceStore, config, dataIndexArgument: 0 },
  );

  return {
    async run(request, context, handle) {
      config.registerLambdaContext(context);
      try {
        const stored = await once(
          {
            userId: request.caller.userId,
            route: routeName,
            key: request.headers['idempotency-key'],
            request: { path: request.path, query: request.query, body: request.body },
          },
          async () => toStored(route, await handle(request)),
        );
        return new HttpResponse(stored.status, stored.body, stored.headers);
      } catch (error) {
        throw mapIdempotencyError(error);
      }
    },
  };
}

function toStored(route: RouteContract, result: unknown): StoredResponse {
  const response = result instanceof HttpResponse ? result : new HttpResponse(route.success.status, result);
  return { status: response.status, body: response.body, headers: response.headers };
}

/** What the handler threw passes through; the store's own refusals become domain errors. */
function mapIdempotencyError(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError)
    return new UnprocessableEntityError(
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    );
  if (error instanceof IdempotencyAlreadyInProgressError)
    return new ConflictError('A request with this Idempotency-Key is still being processed. Retry shortly.');
  return error;
}
