import * as path from 'node:path';
import { AssetHashType, Duration, DockerImage, RemovalPolicy } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { functionBuildOptions } from '../app/bundling';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from '../app/defaults';
import type { IDomain } from 'aws-cdk-lib/aws-opensearchservice';
import type { BucketAccess, QueueAccess, SearchAccess, TableAccess, UserPoolAdminAction } from '../app/types';

/** Repository root: the esbuild project root. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * How cdk-nag prints the ARN of a resource in a finding: `<Logical.Arn>` in the same stack, or the
 * `Fn::GetStackOutput` of a weak cross-stack reference (the default in cdk.json).
 */
const RESOURCE_REF = '(<[A-Za-z0-9]+\\.Arn>|\\{"Fn::GetStackOutput":\\{[^}]+\\}\\})';

export interface ServiceFunctionProps {
  /** Handler file (absolute, or relative to `projectRoot`); it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Variables for the handler (from `functionEnvironment`); source-map support is added here. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** What happens to the log group when the function goes. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Lambda application log level (JSON logs). @default INFO */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** @default DEFAULT_MEMORY_MB (512) */
  readonly memoryMb?: number;
  /** @default DEFAULT_TIMEOUT_SECONDS (10) */
  readonly timeoutSeconds?: number;
  /** @default the repository root */
  readonly projectRoot?: string;
  /** Runs the function in this VPC (only functions that reach the cache). @default no VPC */
  readonly vpc?: IVpc;
  readonly vpcSubnets?: SubnetSelection;
  readonly securityGroups?: readonly ISecurityGroup[];
}

/**
 * A Node.js 22 / arm64 Lambda function bundled locally by esbuild to minified ESM with source maps,
 * X-Ray active tracing, JSON logs into its own log group with a retention, and a role that starts with
 * nothing but writing to that log group. Access to data is added with the intent-named `bind*` methods,
 * which call the narrowest `grant*`.
 *
 * The artefact is built with `functionBuildOptions` (lib/app/bundling.ts), the same options the local
 * runtime and the benchmarks use, in-process and offline (no Docker, no `NodejsFunction`, whose esbuild
 * command line cannot split code into chunks).
 */
export class ServiceFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An explicit role: no AWSLambdaBasicExecutionRole (which may create log groups anywhere).
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`.slice(0, 1000),
    });
    logGroup.grantWrite(role);

    const entry = path.resolve(projectRoot, props.entry);
    super(scope, id, {
      code: Code.fromAsset(path.dirname(entry), {
        // The hash of what is shipped, so an unchanged bundle is not uploaded again.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never used: local bundling always succeeds or throws with esbuild's errors.
          image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
          local: {
            tryBundle(outputDir) {
              buildSync(functionBuildOptions({ entry: props.entry, outDir: outputDir, root: projectRoot }));
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel ?? 'INFO'],
      systemLogLevelV2: SystemLogLevel.INFO,
      // No --enable-source-maps: the bundle maps its stacks when printed (functions/shared/stack-traces.ts).
      environment: props.environment,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups && [...props.securityGroups],
    });

    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (Resource: *)',
          appliesTo: ['Resource::*'],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The narrowest DynamoDB grant covers the table GSIs (<table>/index/*), which are queried by name',
          appliesTo: [{ regex: `/^Resource::${RESOURCE_REF}\\/index\\/\\*$/` }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Object-level S3 grants apply to the keys of one bucket (<bucket>/*); keys are per user/upload',
          appliesTo: [{ regex: `/^Resource::${RESOURCE_REF}\\/\\*$/` }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'An S3-triggered function reads the objects under its trigger prefix (<bucket>/<prefix>*) only, whose keys are per upload',
          appliesTo: [{ regex: `/^Resource::${RESOURCE_REF}\\/[A-Za-z0-9!_.'()/-]+\\*$/` }],
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'CDK grant* action groups (s3:GetObject*, s3:List*, kms:GenerateDataKey*, ...) are its read/put sets',
          appliesTo: [{ regex: '/^Action::(s3|kms):[A-Za-z]+\\*$/' }],
        },
      ],
      true,
    );
    const pinned = 'Pinned to Node.js 22, the runtime the local platform and tests run on';
    NagSuppressions.addResourceSuppressions(this, [
      { id: 'AwsSolutions-L1', reason: pinned },
      { id: 'Serverless-LambdaLatestVersion', reason: pinned },
    ]);
  }

  /** Read, write or read-write access to a table and its indexes (never more than declared). */
  bindTable(table: ITable, access: TableAccess): iam.Grant {
    switch (access) {
      case 'read':
        return table.grantReadData(this);
      case 'write':
        return table.grantWriteData(this);
      case 'readWrite':
        return table.grantReadWriteData(this);
    }
  }

  /** `read` objects, `put` objects only (pre-signed uploads), or both. */
  bindBucket(bucket: IBucket, access: BucketAccess): iam.Grant {
    switch (access) {
      case 'read':
        return bucket.grantRead(this);
      case 'put':
        return bucket.grantPut(this);
      case 'readWrite':
        return bucket.grantReadWrite(this);
    }
  }

  /** Reads the objects its S3 notifications announce: objects under `prefix` only (every key without one). */
  bindBucketEvents(bucket: IBucket, prefix?: string): iam.Grant {
    return bucket.grantRead(this, `${prefix ?? ''}*`);
  }

  /**
   * Starts executions of a state machine: `states:StartExecution` on that machine only. Callers follow
   * their work through their own records, so no DescribeExecution (ADR 13).
   */
  bindStateMachine(machine: IStateMachine): iam.Grant {
    return machine.grantStartExecution(this);
  }

  /** `send`: sqs:SendMessage (and the key's GenerateDataKey/Decrypt when the queue has one), nothing else. */
  bindQueue(queue: IQueue, access: QueueAccess): iam.Grant {
    switch (access) {
      case 'send':
        return queue.grantSendMessages(this);
    }
  }

  /**
   * Reads the cache's AUTH token: `secretsmanager:GetSecretValue` on that secret only (CDK's grantRead
   * would add DescribeSecret), and decrypt with its key when it has a customer-managed one.
   */
  bindCache(authSecret: ISecret): iam.Grant {
    authSecret.encryptionKey?.grantDecrypt(this);
    return iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [authSecret.secretArn],
    });
  }

  /**
   * The search domain: `read` may GET/POST/HEAD (searches, alias lookups), `write` also PUT and DELETE
   * (bulk, index creation, alias moves, old index deletion); on the domain's indexes only.
   */
  bindSearch(domain: IDomain, access: SearchAccess): iam.Grant {
    const actions = ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpHead'];
    if (access === 'write') actions.push('es:ESHttpPut', 'es:ESHttpDelete');
    const grant = iam.Grant.addToPrincipal({
      grantee: this,
      actions,
      resourceArns: [domain.domainArn, `${domain.domainArn}/*`],
    });
    NagSuppressions.addResourceSuppressions(
      this,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'OpenSearch authorises HTTP paths under the domain ARN (<domain>/*): the versioned indexes, the alias and _bulk',
          appliesTo: [{ regex: '/^Resource::<.*Products.*Arn.*>/\\*$/g' }],
        },
      ],
      true,
    );
    return grant;
  }

  /** The Cognito admin actions the function calls; public actions (SignUp, InitiateAuth) need no IAM. */
  bindUserPool(pool: IUserPool, actions: readonly UserPoolAdminAction[]): iam.Grant | undefined {
    if (actions.length === 0) return undefined;
    return pool.grant(this, ...actions.map((a) => `cognito-idp:${a}`));
  }
}
