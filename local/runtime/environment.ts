/**
 * The environment of one local function: exactly what its Lambda would get, and nothing from the parent
 * process. That is `functionEnvironment` (the variables CDK sets for the resources it declared), the SDK
 * endpoints and dummy credentials (`awsEnvironment`, standing in for the role's credentials), and the
 * variables the Lambda runtime itself defines.
 */
import { DEFAULT_MEMORY_MB } from '../../lib/app/defaults';
import { functionEnvironment } from '../../lib/app/env';
import type { FunctionDef } from '../../lib/app/types';
import { awsEnvironment, type LocalResources } from '../engines/types';

const localFunctionName = (fn: Pick<FunctionDef, 'name'>): string => `zepto-local-${fn.name}`;

export function lambdaEnvironment(fn: FunctionDef, resources: LocalResources): Record<string, string> {
  const name = localFunctionName(fn);
  const aws = awsEnvironment(resources.endpoints);
  return {
    ...functionEnvironment(fn, resources),
    ...aws,
    AWS_DEFAULT_REGION: aws.AWS_REGION ?? 'ap-south-1',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb ?? DEFAULT_MEMORY_MB),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_LOG_FORMAT: 'JSON',
    AWS_LAMBDA_LOG_LEVEL: resources.logLevel,
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    TZ: ':UTC',
    _HANDLER: 'index.handler',
    // AWS_EXECUTION_ENV is deliberately absent: with it, the Powertools Tracer would switch X-Ray on and
    // fail without a daemon and a trace header. Tracing is an AWS-only concern.
  };
}
