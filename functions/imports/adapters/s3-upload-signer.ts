import { presignGet, presignPut, type PresignPutRequest } from '#shared/aws/s3-presigner';
import type { UploadSigner } from '../ports';

/**
 * Pre-signed URLs. The upload's type and length are signed (S3 refuses a PUT with another type or size),
 * which is how a PUT is held to 10 MB: the client says the size first, the API refuses more than 10 MB,
 * and the signature binds the upload to exactly that many bytes (ADR 15).
 */
export class S3UploadSigner implements UploadSigner {
  constructor(private readonly bucket: string) {}

  presignPut(request: PresignPutRequest): Promise<string> {
    return presignPut(this.bucket, request);
  }

  presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return presignGet(this.bucket, key, expiresInSeconds);
  }
}
