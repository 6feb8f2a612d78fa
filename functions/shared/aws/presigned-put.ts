/** Pre-signed S3 PUT URLs whose type and length are signed, so S3 refuses any other file. */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export function presignPut(
  s3: S3Client,
  bucket: string,
  request: {
    readonly key: string;
    readonly contentType: string;
    readonly contentLength: number;
    readonly expiresInSeconds: number;
  },
): Promise<string> {
  const command = new PutObjectCommand({
    Bucket: bucket,
    Key: request.key,
    ContentType: request.contentType,
    ContentLength: request.contentLength,
  });
  // The presigner leaves content-type out of the signature unless told otherwise.
  return getSignedUrl(s3, command, {
    expiresIn: request.expiresInSeconds,
    signableHeaders: new Set(['content-type', 'content-length']),
  });
}
