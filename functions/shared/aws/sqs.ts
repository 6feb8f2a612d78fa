import { SQSClient } from '@aws-sdk/client-sqs';
import { traceClient } from '../tracing';

// Requests go to the configured endpoint, not to the host in the queue URL: in AWS the two are the same
// regional endpoint, and locally AWS_ENDPOINT_URL_SQS names the emulator while its queue URLs carry a
// host that only looks like AWS's (sqs.<region>.localhost). `__PURE__`: a bundle that never sends a
// message drops the client and the whole SDK client package (see dynamodb.ts).
export const sqsClient = /* @__PURE__ */ traceClient(
  /* @__PURE__ */ new SQSClient({ useQueueUrlAsEndpoint: false }),
);
