import { S3Client } from '@aws-sdk/client-s3';
import { traceClient } from '../tracing';

// Checksums only when required: pre-signed PUTs from browsers cannot compute the SDK's default CRC32.
// `__PURE__`: a bundle that never uses the client drops it and the whole SDK client package (see dynamodb.ts).
export const s3Client = /* @__PURE__ */ traceClient(
  /* @__PURE__ */ new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  }),
);
