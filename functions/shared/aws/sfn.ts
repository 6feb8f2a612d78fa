import { SFNClient } from '@aws-sdk/client-sfn';
import { traceClient } from '../tracing';

// The endpoint comes from AWS_ENDPOINT_URL_SFN locally (local/stepfunctions/server.ts).
// `__PURE__`: a bundle that never uses the client drops it and the whole SDK client package (see dynamodb.ts).
export const sfnClient = /* @__PURE__ */ traceClient(/* @__PURE__ */ new SFNClient({}));
