import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { traceClient } from '../tracing';

// `__PURE__`: a bundle that never uses the client drops it and the whole SDK client package (see dynamodb.ts).
export const cognitoClient = /* @__PURE__ */ traceClient(
  /* @__PURE__ */ new CognitoIdentityProviderClient({}),
);
