/** Wiring of the validator, apart from wiring.ts so only it bundles the Step Functions client. */
import * as z from 'zod/mini';
import { documentClient } from '#shared/aws/dynamodb';
import { s3Client } from '#shared/aws/s3';
import { parseEnv } from '#shared/env';
import { DynamoSkuLookup } from './adapters/dynamodb-sku-lookup';
import { DynamoStoreAccessReader } from '#shared/published/store-access-reader';
import { S3ObjectStore } from './adapters/s3-objects';
import type { ValidatorDeps } from './ports';
import { backoff, importDeps } from './wiring';

const name = z.string().check(z.minLength(1));

export function validatorDeps(): ValidatorDeps {
  const env = parseEnv({
    STORES_TABLE_NAME: name,
    CATALOG_TABLE_NAME: name,
    INVENTORY_IMPORTS_BUCKET_NAME: name,
    INVENTORY_IMPORT_STATE_MACHINE_ARN: name,
  });
  return {
    ...importDeps(),
    stores: new DynamoStoreAccessReader(documentClient, env.STORES_TABLE_NAME),
    skus: new DynamoSkuLookup(documentClient, env.CATALOG_TABLE_NAME, backoff),
    objects: new S3ObjectStore(s3Client, env.INVENTORY_IMPORTS_BUCKET_NAME),
    // Loaded on first use (the end of a validation): init does not evaluate the Step Functions client.
    executions: {
      async start(name, input) {
        const [{ sfnClient }, { SfnExecutionStarter }] = await Promise.all([
          import('#shared/aws/sfn'),
          import('./adapters/sfn-executions'),
        ]);
        return new SfnExecutionStarter(sfnClient, env.INVENTORY_IMPORT_STATE_MACHINE_ARN).start(name, input);
      },
    },
  };
}
