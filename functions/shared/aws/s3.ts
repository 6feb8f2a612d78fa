import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../powertools';

// Checksums only when required: pre-signed PUTs from browsers cannot compute the SDK's default CRC32.
export const s3Client = tracer.captureAWSv3Client(
  new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
);
