/** SDK clients pointed at the local engines, for the platform's own tooling (provisioning, seeding, tests, bench). */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EngineEndpoints } from './types';

const COMMON = { region: 'ap-south-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export const localDynamoDb = (endpoint: string, extra: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({ ...COMMON, endpoint, ...extra });

export interface LocalClients {
  readonly dynamodb: DynamoDBClient;
  readonly cognito: CognitoIdentityProviderClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  destroy(): void;
}

export function localClients(endpoints: EngineEndpoints): LocalClients {
  const dynamodb = localDynamoDb(endpoints.dynamodb);
  const cognito = new CognitoIdentityProviderClient({ ...COMMON, endpoint: endpoints.cognito });
  // s3rver: path-style, and checksums only when required (see awsEnvironment in types.ts).
  const s3 = new S3Client({
    ...COMMON,
    endpoint: endpoints.s3,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const sqs = new SQSClient({ ...COMMON, endpoint: endpoints.sqs });
  return {
    dynamodb,
    cognito,
    s3,
    sqs,
    destroy() {
      dynamodb.destroy();
      cognito.destroy();
      s3.destroy();
      sqs.destroy();
    },
  };
}
