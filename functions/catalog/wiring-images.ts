/** Wiring of the image upload signer, apart from wiring.ts so only the function that signs bundles it. */
import * as z from 'zod/mini';
import { presignPut } from '#shared/aws/s3-presigner';
import { parseEnv } from '#shared/env';
import type { ImageUploadSigner } from './ports';

/** Pre-signed PUT URLs for product images: type and length are signed, so S3 refuses anything else. */
export function imageUploadSigner(): ImageUploadSigner {
  const env = parseEnv({ PRODUCT_IMAGES_BUCKET_NAME: z.string().check(z.minLength(1)) });
  return { presignPut: (request) => presignPut(env.PRODUCT_IMAGES_BUCKET_NAME, request) };
}
