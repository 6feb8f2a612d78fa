/** Wiring of the HTTP routes, apart from wiring.ts so only they bundle the URL signer. */
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { parseEnv } from '#shared/env';
import { DynamoStoreAccessReader } from '#shared/published/store-access-reader';
import { S3UploadSigner } from './adapters/s3-upload-signer';
import type { UploadDeps } from './ports';
import { importDeps } from './wiring';

const name = z.string().check(z.minLength(1));

/** The HTTP routes: import records, store owners, pre-signed URLs. */
export function uploadDeps(): UploadDeps {
  const env = parseEnv({ STORES_TABLE_NAME: name, INVENTORY_IMPORTS_BUCKET_NAME: name });
  return {
    ...importDeps(),
    stores: new DynamoStoreAccessReader(documentClient, env.STORES_TABLE_NAME),
    signer: new S3UploadSigner(env.INVENTORY_IMPORTS_BUCKET_NAME),
  };
}

/** The list route: records and store owners only (no bucket). */
export function listDeps(): Omit<UploadDeps, 'signer'> {
  const env = parseEnv({ STORES_TABLE_NAME: name });
  return { ...importDeps(), stores: new DynamoStoreAccessReader(documentClient, env.STORES_TABLE_NAME) };
}
