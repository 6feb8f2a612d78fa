import { CustomResource, Duration } from 'aws-cdk-lib';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface UserPoolKeysProps {
  /** The pool's JWKS document: `<issuer>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  readonly logRetention: RetentionDays;
}

/**
 * Reads the user pool's public signing keys at deploy time, so that functions which check tokens
 * themselves (public routes that identify their caller, ADR 12) get them as a value: those in the cache
 * VPC have no route to Cognito's JWKS endpoint. Cognito does not rotate a user pool's signing keys; a new
 * pool (a new URL) reads them again.
 */
export class UserPoolKeys extends Construct {
  /** The JWKS document (public keys only), as JSON. */
  readonly jwks: string;

  constructor(scope: Construct, id: string, props: UserPoolKeysProps) {
    super(scope, id);
    const onEvent = new LambdaFunction(this, 'Fetch', {
      description: 'Deploy time: reads the user pool JWKS for functions that verify tokens themselves',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      timeout: Duration.seconds(30),
      memorySize: 256,
      tracing: Tracing.ACTIVE,
      logGroup: new LogGroup(this, 'FetchLogs', { retention: props.logRetention }),
      // Only public keys leave: the fields a verifier needs, nothing else from the document.
      code: Code.fromInline(`
exports.handler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const url = event.ResourceProperties.JwksUrl;
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  if (!res.ok) throw new Error('GET ' + url + ' answered ' + res.status);
  const { keys } = await res.json();
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('No keys at ' + url);
  const jwks = { keys: keys.map(({ alg, e, kid, kty, n, use }) => ({ alg, e, kid, kty, n, use })) };
  return { PhysicalResourceId: url, Data: { Jwks: JSON.stringify(jwks) } };
};`),
    });
    const provider = new Provider(this, 'Provider', {
      onEventHandler: onEvent,
      logGroup: new LogGroup(this, 'ProviderLogs', { retention: props.logRetention }),
    });
    const resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::UserPoolKeys',
      properties: { JwksUrl: props.jwksUrl },
    });
    this.jwks = resource.getAttString('Jwks');

    const deployOnly =
      'Runs only during deployments (a CloudFormation custom resource): no events to dead-letter, no concurrency to reserve';
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM4',
          reason: 'CDK-owned custom resource functions use AWSLambdaBasicExecutionRole for their logs',
          appliesTo: [
            'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
          ],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'The CDK Provider framework may invoke every version of its onEvent function',
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            'Node.js 22 like every Zepto function (ADR 1); the Provider framework runtime is chosen by aws-cdk-lib',
        },
        {
          id: 'Serverless-LambdaLatestVersion',
          reason:
            'Node.js 22 like every Zepto function (ADR 1); the Provider framework runtime is chosen by aws-cdk-lib',
        },
        { id: 'Serverless-LambdaDLQ', reason: deployOnly },
        { id: 'Serverless-LambdaAsyncFailureDestination', reason: deployOnly },
        { id: 'Serverless-LambdaTracing', reason: 'The Provider framework function is CDK-owned' },
        { id: 'Serverless-LambdaDefaultMemorySize', reason: 'The Provider framework function is CDK-owned' },
      ],
      true,
    );
  }
}
