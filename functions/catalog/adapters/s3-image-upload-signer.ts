/** Pre-signed S3 PUT URLs for product images. Type and length are signed, so S3 refuses anything else. */
import type { S3Client } from '@aws-sdk/client-s3';
import { presignPut } from '#shared/aws/presigned-put';
import type { ImageUploadSigner } from '../ports';

export class S3ImageUploadSigner implements ImageUploadSigner {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  presignPut(request: Parameters<ImageUploadSigner['presignPut']>[0]): Promise<string> {
    return presignPut(this.s3, this.bucket, request);
  }
}
