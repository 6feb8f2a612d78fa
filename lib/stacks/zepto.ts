import { Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { AppDef } from '../app/types';
import type { StageConfig } from '../config/stages';
import { ApiStack } from './api-stack';
import { AuthStack } from './auth-stack';
import { DataStack } from './data-stack';
import { ObservabilityStack } from './observability-stack';

export interface ZeptoProps {
  readonly config: StageConfig;
  readonly definition: AppDef;
  /** Run the cdk-nag AwsSolutions and Serverless packs as aspects. @default true */
  readonly nag?: boolean;
  /** Write cdk-nag CSV reports into the cloud assembly. @default true */
  readonly nagReports?: boolean;
  /** Root the handler entries are relative to. @default the repository root */
  readonly projectRoot?: string;
}

export interface Zepto {
  readonly data: DataStack;
  readonly auth: AuthStack;
  readonly api: ApiStack;
  readonly observability: ObservabilityStack;
}

/**
 * Renders the app definition for one stage: stateful stacks (data, auth) apart from the stateless API
 * and observability (alarms, alarm topic, dashboard).
 * Stacks are named `zepto-<stage>-<part>`; resources get generated physical names.
 */
export function buildZepto(scope: Construct, props: ZeptoProps): Zepto {
  const { config, definition } = props;
  const env = { account: config.env.account, region: config.env.region };
  const stackName = (part: string): string => `zepto-${config.name}-${part}`;
  const stateful = { env, terminationProtection: config.data.terminationProtection };

  const data = new DataStack(scope, stackName('data'), {
    ...stateful,
    description: `Zepto ${config.name}: tables and buckets (stateful)`,
    definition,
    data: config.data,
    accessLogExpirationDays: Math.max(config.logRetentionDays, 30),
    corsAllowOrigins: config.api.corsAllowOrigins,
  });
  const auth = new AuthStack(scope, stackName('auth'), {
    ...stateful,
    description: `Zepto ${config.name}: Cognito user pool (stateful)`,
    definition: definition.userPool,
    auth: config.auth,
    removalPolicy: config.data.removalPolicy,
  });
  const api = new ApiStack(scope, stackName('api'), {
    env,
    description: `Zepto ${config.name}: REST API and its functions (stateless)`,
    config,
    definition,
    tables: data.tables,
    buckets: data.buckets,
    userPool: auth.userPool,
    userPoolClient: auth.userPoolClient,
    projectRoot: props.projectRoot,
  });
  const observability = new ObservabilityStack(scope, stackName('observability'), {
    env,
    description: `Zepto ${config.name}: alarms, alarm topic and dashboard (stateless)`,
    stageName: config.name,
    definition,
    functions: api.functions,
    api: api.api,
    firewall: api.firewall,
    thresholds: config.observability,
    alarmEmail: config.alarmEmail,
  });

  Tags.of(scope).add('project', 'zepto');
  Tags.of(scope).add('stage', config.name);
  if (props.nag ?? true) {
    const reports = props.nagReports ?? true;
    Aspects.of(scope).add(new AwsSolutionsChecks({ verbose: true, reports }));
    Aspects.of(scope).add(new ServerlessChecks({ verbose: true, reports }));
  }
  return { data, auth, api, observability };
}
