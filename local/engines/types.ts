/** Interfaces between the local engines, provisioning, the gateway and the test harness. */
import type { S3Event } from 'aws-lambda';
import type { ResolvedResources } from '../../lib/app/env';

export interface EngineOptions {
  /** Folder that keeps data between runs; omitted = in memory / throw-away (tests). */
  readonly dataDir?: string;
  /** Start Redis when `redis-server` is on the PATH (default true). */
  readonly redis?: boolean;
  /**
   * Fixed ports (default: free ports picked at start). `npm start` with a dataDir may want a fixed cognito
   * port: the issuer of the tokens contains it, so tokens from an earlier run only verify on the same port.
   */
  readonly ports?: {
    readonly dynamodb?: number;
    readonly cognito?: number;
    readonly s3?: number;
    readonly sqs?: number;
    readonly redis?: number;
    readonly search?: number;
  };
}

/** Endpoints of the running engines, all on 127.0.0.1. */
export interface EngineEndpoints {
  readonly dynamodb: string; // http://127.0.0.1:PORT
  readonly cognito: string; // http://127.0.0.1:PORT
  readonly s3: string; // http://127.0.0.1:PORT
  readonly sqs: string; // http://127.0.0.1:PORT (fauxqs)
  readonly search: string; // http://127.0.0.1:PORT (Orama, local/engines/search-engine.mjs)
  readonly redis?: string; // redis://127.0.0.1:PORT, when redis-server is available
  /** The local Step Functions endpoint (local/stepfunctions/server.ts), when one runs. */
  readonly sfn?: string; // http://127.0.0.1:PORT
}

export interface RunningEngines {
  readonly endpoints: EngineEndpoints;
  /**
   * Subscribes to the S3 engine's event records (ObjectCreated:Put/Post/Copy, ObjectRemoved:Delete), for
   * local S3 notifications. Returns an unsubscribe function. Note: object keys arrive unencoded.
   */
  onS3Event(listener: (event: S3Event) => void): () => void;
  /** Stops every child process (SIGTERM, then SIGKILL after a grace period). */
  stop(): Promise<void>;
}

/** What provisioning created: physical names and ids, plus what the gateway needs to verify tokens. */
export interface LocalResources extends ResolvedResources {
  readonly endpoints: EngineEndpoints;
  /** The dead-letter queue of each queue, by the queue's logical name (for tests and redrive tooling). */
  readonly deadLetterQueueUrls: Readonly<Record<string, string>>;
  /** Issuer of the access tokens (cognito-local: `${cognito}/${userPoolId}`). */
  readonly issuer: string;
  readonly jwksUrl: string;
}

/**
 * Environment every local function process gets on top of `functionEnvironment` (lib/app/env.ts):
 * SDK endpoints and dummy credentials, as a Lambda gets its role credentials.
 */
export function awsEnvironment(endpoints: EngineEndpoints): Record<string, string> {
  return {
    AWS_REGION: 'ap-south-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    ...(endpoints.sfn ? { AWS_ENDPOINT_URL_SFN: endpoints.sfn } : {}),
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // s3rver stores SDK v3's default aws-chunked CRC32 framing verbatim in streamed uploads; only send
    // checksums when an operation requires them (also a valid setting in AWS).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
