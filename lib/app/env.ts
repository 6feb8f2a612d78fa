/**
 * The environment contract between the app definition and a function: which variables a function gets
 * for the resources it declared. CDK and the local platform both call `functionEnvironment`, so a handler
 * sees the same variable names in AWS and on a laptop.
 */
import { identifiesCaller } from '../../functions/shared/http/route';
import { SETTINGS, type SettingName } from './settings';
import { isHttpFunction, type FunctionDef } from './types';

export const tableEnvName = (table: string): string => `${screamingSnake(table)}_TABLE_NAME`;
export const bucketEnvName = (bucket: string): string => `${screamingSnake(bucket)}_BUCKET_NAME`;
export const stateMachineEnvName = (machine: string): string =>
  `${screamingSnake(machine)}_STATE_MACHINE_ARN`;
export const queueEnvName = (queue: string): string => `${screamingSnake(queue)}_QUEUE_URL`;
export const deadLetterQueueEnvName = (queue: string): string => `${screamingSnake(queue)}_DLQ_URL`;
export const secretEnvName = (secret: string): string => `${screamingSnake(secret)}_SECRET_ARN`;
/** Local platform only: the secret's value itself (there is no Secrets Manager locally). */
export const localSecretEnvName = (secret: string): string => `${screamingSnake(secret)}_SECRET_VALUE`;

export interface ResolvedResources {
  readonly stage: string;
  readonly tableNames: Readonly<Record<string, string>>;
  readonly bucketNames: Readonly<Record<string, string>>;
  /** State machine ARNs by logical name (absent: the app has none). */
  readonly stateMachineArns?: Readonly<Record<string, string>>;
  readonly queueUrls: Readonly<Record<string, string>>;
  readonly userPool: { readonly id: string; readonly clientId: string };
  /** `local` and `dev` confirm registrations at once; `staging` and `prod` send a code. */
  readonly autoConfirmSignUp: boolean;
  readonly logLevel: string;
  /** The stage's settings (lib/app/settings.ts); a function gets those it names in `settings`. */
  readonly settings: Readonly<Record<SettingName, string>>;
  /** The cache, when the stage has one (or, locally, when redis-server runs); absent = no cache. */
  readonly cache?: CacheConnection;
  /** How functions check the tokens of callers on public routes that identify them (ADR 12). */
  readonly callerTokens: CallerTokenKeys;
  /** The search engine, when the stage has one (locally: always); absent = search answers degraded. */
  readonly search?: SearchConnection;
  /** Dead-letter queue URLs by the queue's logical name (for `queueDepths`). */
  readonly deadLetterQueueUrls?: Readonly<Record<string, string>>;
  /** Secret ARNs by logical name (AWS). */
  readonly secretArns?: Readonly<Record<string, string>>;
  /** Secret values by logical name (the local platform only; never for a deployed stage). */
  readonly localSecretValues?: Readonly<Record<string, string>>;
}

export interface CallerTokenKeys {
  /** Issuer of the user pool's access tokens. */
  readonly issuer: string;
  /** The user pool's public keys (a JWKS document, as JSON). */
  readonly jwks: string;
}

export interface SearchConnection {
  /** `opensearch`: Amazon OpenSearch Service, SigV4-signed; `local`: the local search engine (local/engines/search). */
  readonly engine: 'opensearch' | 'local';
  /** `https://<domain endpoint>` in AWS; `http://127.0.0.1:<port>` locally. */
  readonly endpoint: string;
}

export interface CacheConnection {
  /** `host:port` of the primary endpoint in AWS; a `redis://127.0.0.1:<port>` URL locally. */
  readonly endpoint: string;
  /** In-transit encryption (ElastiCache: required; redis-server locally: off). */
  readonly tls: boolean;
  /** Secrets Manager secret holding the AUTH token (none locally). */
  readonly authSecretArn?: string;
}

export function functionEnvironment(fn: FunctionDef, resources: ResolvedResources): Record<string, string> {
  const env: Record<string, string> = {
    STAGE: resources.stage,
    POWERTOOLS_SERVICE_NAME: fn.service,
    POWERTOOLS_METRICS_NAMESPACE: 'Zepto',
    POWERTOOLS_LOG_LEVEL: resources.logLevel,
  };
  for (const table of Object.keys(fn.tables ?? {}))
    env[tableEnvName(table)] = required(resources.tableNames, table);
  for (const bucket of Object.keys(fn.buckets ?? {}))
    env[bucketEnvName(bucket)] = required(resources.bucketNames, bucket);
  for (const machine of Object.keys(fn.stateMachines ?? {}))
    env[stateMachineEnvName(machine)] = required(resources.stateMachineArns ?? {}, machine);
  for (const queue of Object.keys(fn.queues ?? {}))
    env[queueEnvName(queue)] = required(resources.queueUrls, queue);
  if (fn.userPool) {
    env.USER_POOL_ID = resources.userPool.id;
    env.USER_POOL_CLIENT_ID = resources.userPool.clientId;
    env.AUTO_CONFIRM_SIGN_UP = String(resources.autoConfirmSignUp);
  }
  if (isHttpFunction(fn) && identifiesCaller(fn.trigger.route.auth)) {
    env.CALLER_TOKEN_ISSUER = resources.callerTokens.issuer;
    env.CALLER_TOKEN_JWKS = resources.callerTokens.jwks;
    env.CALLER_TOKEN_CLIENT_ID = resources.userPool.clientId;
  }
  for (const setting of fn.settings ?? []) env[SETTINGS[setting].env] = resources.settings[setting];
  // Only functions that declare the cache learn where it is; without these they use the pass-through cache.
  if (fn.cache && resources.cache) {
    env.CACHE_ENDPOINT = resources.cache.endpoint;
    env.CACHE_TLS = String(resources.cache.tls);
    if (resources.cache.authSecretArn) env.CACHE_AUTH_SECRET_ARN = resources.cache.authSecretArn;
  }
  // CDK renders these after the functions exist (lib/constructs/function-extras.ts); locally they come here.
  for (const queue of fn.queueDepths ?? []) {
    env[queueEnvName(queue)] = required(resources.queueUrls, queue);
    if (resources.deadLetterQueueUrls)
      env[deadLetterQueueEnvName(queue)] = required(resources.deadLetterQueueUrls, queue);
  }
  for (const secret of Object.keys(fn.secrets ?? {})) {
    if (resources.secretArns) env[secretEnvName(secret)] = required(resources.secretArns, secret);
    else if (resources.localSecretValues?.[secret] !== undefined)
      env[localSecretEnvName(secret)] = resources.localSecretValues[secret];
  }
  if (fn.search && resources.search) {
    env.SEARCH_ENGINE = resources.search.engine;
    env.SEARCH_ENDPOINT = resources.search.endpoint;
  }
  return env;
}

function required(names: Readonly<Record<string, string>>, logical: string): string {
  const name = names[logical];
  if (name === undefined) throw new Error(`No physical name for resource ${logical}`);
  return name;
}

function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
