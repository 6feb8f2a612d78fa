/**
 * The cache stack and how functions reach it: network, replication group, parameter group, AUTH secret,
 * the schedule of the warm-up, and that only the functions that declare the cache join the VPC.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { app as realApp } from '../../lib/app/app';
import type { AppDef, FunctionDef } from '../../lib/app/types';
import { getStageConfig, type StageName } from '../../lib/config/stages';
import { CACHE_PORT } from '../../lib/stacks/cache-stack';
import { cacheEndpoints } from '../../lib/stacks/zepto';
import { synth, type Synthesized } from './fixtures/synth';

const cached = realApp.functions.filter((fn) => fn.cache).map((fn) => fn.name);
const uncached = realApp.functions.filter((fn) => !fn.cache).map((fn) => fn.name);
/** Functions that declare search join the VPC too (the search domain is in it): one more security group. */
const searching = new Set(realApp.functions.filter((fn) => fn.search).map((fn) => fn.name));

const byStage = new Map<StageName, Synthesized>();
const stage = (name: StageName): Synthesized => {
  if (!byStage.has(name)) byStage.set(name, synth(name, realApp));
  return byStage.get(name)!;
};
const cacheTemplate = (name: StageName): Template => {
  const t = stage(name).templates.cache;
  if (!t) throw new Error(`${name} has no cache stack`);
  return t;
};

/** The Lambda function resource of a function of the app definition, by its construct id. */
function lambdaOf(template: Template, name: string): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function');
  const found = Object.entries(functions).filter(
    ([id]) => id.startsWith(name) && /^[A-Za-z]+[0-9A-F]{8}$/.test(id),
  );
  const exact = found.filter(([id]) => id.slice(0, -8) === name);
  if (exact.length !== 1)
    throw new Error(`No single Lambda function for ${name}: ${found.map(([id]) => id)}`);
  return exact[0]![1] as Record<string, unknown>;
}

describe('the cache network', () => {
  it('is a VPC of isolated subnets only, in the stage AZs, with no NAT or internet gateway', () => {
    const t = cacheTemplate('prod');
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::Subnet', getStageConfig('prod').cache.availabilityZones);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  it('logs all VPC traffic', () => {
    cacheTemplate('dev').hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
  });

  it('has DynamoDB and S3 gateway endpoints (WarmImportCache reads import chunks), Secrets Manager and SQS interface endpoints (checkout, cancellation and the outbox relay send events), nothing else', () => {
    const t = cacheTemplate('prod');
    const endpoints = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((r) => {
      const props = r.Properties as { ServiceName: unknown; VpcEndpointType?: string };
      return `${props.VpcEndpointType ?? 'Gateway'} ${JSON.stringify(props.ServiceName)}`;
    });
    expect(endpoints.sort()).toEqual([
      expect.stringMatching(/^Gateway .*dynamodb/),
      expect.stringMatching(/^Gateway .*\.s3/),
      expect.stringMatching(/^Interface .*secretsmanager/),
      expect.stringMatching(/^Interface .*sqs/),
    ]);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
  });

  it('adds an S3 gateway endpoint only when a function in the VPC uses a bucket', () => {
    expect(cacheEndpoints(realApp)).toEqual({ dynamodb: true, s3: true, sqs: true });
    const noBucket: AppDef = {
      ...realApp,
      functions: realApp.functions.filter((f) => !(f.cache && f.buckets)),
    };
    expect(cacheEndpoints(noBucket)).toEqual({ dynamodb: true, s3: false, sqs: true });
  });

  it('refuses a function in the VPC that would need Cognito (no endpoint)', () => {
    const bad: FunctionDef = { ...realApp.functions.find((f) => f.cache)!, name: 'Bad', userPool: [] };
    expect(() => cacheEndpoints({ functions: [bad] })).toThrow(/Bad/);
  });

  it('lets only the cache clients reach the cache port and the endpoints', () => {
    const t = cacheTemplate('prod');
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map(
      (r) =>
        r.Properties as {
          FromPort: number;
          ToPort: number;
          SourceSecurityGroupId?: unknown;
          CidrIp?: string;
        },
    );
    expect(ingress.map((i) => i.FromPort).sort()).toEqual([443, CACHE_PORT].sort());
    for (const rule of ingress) {
      expect(rule.CidrIp).toBeUndefined();
      expect(rule.SourceSecurityGroupId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^CacheClients/), 'GroupId'],
      });
    }
  });
});

describe('the replication group', () => {
  it('encrypts at rest and in transit and requires AUTH from the secret', () => {
    cacheTemplate('dev').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      Port: CACHE_PORT,
      AuthToken: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])],
      }),
    });
  });

  it('is Multi-AZ with automatic failover and replicas in prod', () => {
    cacheTemplate('prod').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      NumCacheClusters: 1 + getStageConfig('prod').cache.replicas,
      CacheNodeType: getStageConfig('prod').cache.nodeType,
      KmsKeyId: Match.anyValue(),
    });
  });

  it('is one node without failover in dev', () => {
    cacheTemplate('dev').hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      MultiAZEnabled: false,
      AutomaticFailoverEnabled: false,
      NumCacheClusters: 1,
      KmsKeyId: Match.absent(),
    });
  });

  it.each(['dev', 'staging', 'prod'] as const)('takes maxmemory-policy from the %s config', (name) => {
    cacheTemplate(name).hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'valkey8',
      Properties: { 'maxmemory-policy': getStageConfig(name).cache.evictionPolicy },
    });
  });

  it('differs between stages where the config does (LRU in dev, LFU in prod)', () => {
    expect(getStageConfig('dev').cache.evictionPolicy).toBe('allkeys-lru');
    expect(getStageConfig('prod').cache.evictionPolicy).toBe('allkeys-lfu');
  });

  it('keeps the AUTH token in a generated secret without punctuation', () => {
    cacheTemplate('prod').hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ ExcludePunctuation: true, PasswordLength: 64 }),
      KmsKeyId: Match.anyValue(),
    });
  });
});

describe('functions and the cache', () => {
  it('puts exactly the functions that declare the cache in the VPC with the client security group', () => {
    const t = stage('prod').templates.api;
    expect(cached.length).toBeGreaterThan(0);
    expect(uncached.length).toBeGreaterThan(0);
    for (const name of cached) {
      const props = lambdaOf(t, name).Properties as {
        VpcConfig?: { SecurityGroupIds: unknown[]; SubnetIds: unknown[] };
      };
      expect({ name, vpc: props.VpcConfig?.SecurityGroupIds.length }).toEqual({
        name,
        vpc: searching.has(name) ? 2 : 1,
      });
      expect(props.VpcConfig!.SubnetIds).toHaveLength(getStageConfig('prod').cache.availabilityZones);
    }
    for (const name of uncached.filter((n) => !searching.has(n))) {
      const props = lambdaOf(t, name).Properties as { VpcConfig?: unknown };
      expect({ name, vpc: props.VpcConfig }).toEqual({ name, vpc: undefined });
    }
  });

  it('gives only the functions that declare the cache its variables', () => {
    const t = stage('prod').templates.api;
    for (const name of [...cached, ...uncached]) {
      const vars = Object.keys(
        (lambdaOf(t, name).Properties as { Environment: { Variables: object } }).Environment.Variables,
      ).filter((v) => v.startsWith('CACHE_'));
      expect({ name, vars: vars.sort() }).toEqual({
        name,
        vars: cached.includes(name) ? ['CACHE_AUTH_SECRET_ARN', 'CACHE_ENDPOINT', 'CACHE_TLS'] : [],
      });
    }
  });

  it('grants secretsmanager:GetSecretValue on the AUTH secret to exactly those functions', () => {
    const t = stage('prod').templates.api;
    const policies = Object.values(t.findResources('AWS::IAM::Policy'));
    // The AUTH secret is the cache stack's (other functions read secrets of their own, e.g. payments').
    const readsAuthSecret = (p: (typeof policies)[number]) =>
      (
        p.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }
      ).PolicyDocument.Statement.some(
        (st) =>
          JSON.stringify(st.Action).includes('secretsmanager:') &&
          JSON.stringify(st.Resource).includes('zepto-prod-cache'),
      );
    const granted = policies
      .filter(readsAuthSecret)
      .flatMap((p) =>
        (p.Properties as { Roles: { Ref: string }[] }).Roles.map((r) =>
          r.Ref.replace(/Role[0-9A-F]{8}$/, ''),
        ),
      );
    expect(granted.sort()).toEqual([...cached].sort());
    for (const p of policies.filter(readsAuthSecret)) {
      const statements = (
        p.Properties as { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } }
      ).PolicyDocument.Statement;
      for (const s of statements.filter(
        (s) =>
          JSON.stringify(s.Action).includes('secretsmanager') &&
          JSON.stringify(s.Resource).includes('zepto-prod-cache'),
      )) {
        expect(s.Action).toBe('secretsmanager:GetSecretValue');
      }
    }
  });

  it('creates no VPC, no cache stack and no cache variables when the stage turns the cache off', () => {
    const off = synth('dev', realApp, {
      config: { cache: { ...getStageConfig('dev').cache, enabled: false } },
    });
    expect(off.cache).toBeUndefined();
    expect(off.templates.cache).toBeUndefined();
    for (const template of [off.templates.api, off.templates.data]) {
      template.resourceCountIs('AWS::EC2::VPC', 0);
      template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 0);
    }
    for (const name of cached) {
      const props = lambdaOf(off.templates.api, name).Properties as {
        VpcConfig?: unknown;
        Environment: { Variables: object };
      };
      expect(props.VpcConfig).toBeUndefined();
      expect(Object.keys(props.Environment.Variables).filter((v) => v.startsWith('CACHE_'))).toEqual([]);
    }
    // No warm-up schedule (the orders sweeper keeps its own).
    const schedules = Object.values(off.templates.api.findResources('AWS::Scheduler::Schedule'));
    expect(schedules.filter((r) => JSON.stringify(r.Properties).includes('ScheduledCacheWarmUp'))).toEqual(
      [],
    );
  });

  it('has the local stage (for synth checks) without a cache', () => {
    expect(stage('local').cache).toBeUndefined();
  });
});

describe('the warm-up schedule', () => {
  it('renders one schedule per window of the stage, in its time zone, with a retry policy', () => {
    const { windows, topProducts } = getStageConfig('prod').cache.warmUp;
    const t = stage('prod').templates.api;
    // The warm-up's schedules (the orders sweeper has one of its own, test/infra/stores-grants.test.ts).
    const warmUps = Object.values(t.findResources('AWS::Scheduler::Schedule')).filter((r) =>
      JSON.stringify(r.Properties).includes('ScheduledCacheWarmUp'),
    );
    expect(warmUps).toHaveLength(windows.length);
    for (const window of windows) {
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: window.expression,
        ScheduleExpressionTimezone: window.timeZone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ScheduledCacheWarmUp'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
          Input: Match.serializedJson(
            Match.objectLike({ source: 'zepto.scheduler', input: { topProducts } }),
          ),
        }),
      });
    }
  });

  it('runs as a role that Scheduler alone assumes and that may invoke only the warm-up function', () => {
    const t = stage('prod').templates.api;
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
    const invokers = Object.values(t.findResources('AWS::IAM::Policy')).filter(
      (p) =>
        JSON.stringify(p.Properties).includes('lambda:InvokeFunction') &&
        JSON.stringify(p.Properties).includes('ScheduledCacheWarmUp'),
    );
    expect(invokers).toHaveLength(1);
    expect((invokers[0]!.Properties as { PolicyDocument: unknown }).PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ScheduledCacheWarmUp[0-9A-F]{8}$/), 'Arn'] },
        },
      ],
    });
  });

  it('gives the scheduled function no API method', () => {
    const methods = Object.values(stage('prod').templates.api.findResources('AWS::ApiGateway::Method'));
    expect(JSON.stringify(methods)).not.toContain('ScheduledCacheWarmUp');
  });
});
