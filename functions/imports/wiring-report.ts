/** Wiring of WriteImportReport, apart from wiring.ts: it touches the bucket only (no DynamoDB client). */
import * as z from 'zod/mini';
import { s3Client } from '#shared/aws/s3';
import { parseEnv } from '#shared/env';
import { S3ObjectStore } from './adapters/s3-objects';

export const reportDeps = () => ({
  objects: new S3ObjectStore(
    s3Client,
    parseEnv({ INVENTORY_IMPORTS_BUCKET_NAME: z.string().check(z.minLength(1)) })
      .INVENTORY_IMPORTS_BUCKET_NAME,
  ),
});
