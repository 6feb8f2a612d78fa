/** Wiring of the image upload signer, apart from wiring.ts so only the function that signs bundles the S3 client. */
import * as z from 'zod/mini';
import { s3Client } from '#shared/aws/s3';
import { parseEnv } from '#shared/env';
import { S3ImageUploadSigner } from './adapters/s3-image-upload-signer';
import type { ImageUploadSigner } from './ports';

export function imageUploadSigner(): ImageUploadSigner {
  const env = parseEnv({ PRODUCT_IMAGES_BUCKET_NAME: z.string().check(z.minLength(1)) });
  return new S3ImageUploadSigner(s3Client, env.PRODUCT_IMAGES_BUCKET_NAME);
}
