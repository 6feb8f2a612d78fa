import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traceClient } from '../tracing';

/**
 * One document client per execution environment; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB locally.
 * The `__PURE__` marks let esbuild drop the client, and with it the SDK client package, from a function
 * that imports this module's neighbours but never sends a DynamoDB request (test/infra/bundles.test.ts).
 */
export const dynamoDbClient = /* @__PURE__ */ traceClient(/* @__PURE__ */ new DynamoDBClient({}));

/** The document client shares the base client's middleware stack, so it is traced too. */
export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
