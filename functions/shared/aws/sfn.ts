import { SFNClient } from '@aws-sdk/client-sfn';
import { traceClient } from '../tracing';

// Step Functions (StartExecution of the machines a function declared); the endpoint comes from
// AWS_ENDPOINT_URL_SFN locally. `__PURE__`: a bundle that never uses it drops it (see dynamodb.ts).
export const sfnClient = /* @__PURE__ */ traceClient(/* @__PURE__ */ new SFNClient({}));
