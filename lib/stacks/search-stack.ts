import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Domain, EngineVersion, TLSSecurityPolicy, type IDomain } from 'aws-cdk-lib/aws-opensearchservice';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EbsDeviceVolumeType } from 'aws-cdk-lib/aws-ec2';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages';

export interface SearchStackProps extends StackProps {
  readonly search: StageConfig['search'];
  /** The cache's VPC, when the stage has one: the domain lives in its isolated subnets. */
  readonly vpc?: ec2.IVpc;
  readonly removalPolicy: 'destroy' | 'retain';
  /** The stage's customer-managed key (staging, prod), else the service's own key. */
  readonly encryptionKey?: IKey;
  readonly logRetention: RetentionDays;
}

/** What the API stack needs to let a function search: typed objects, never names or ARNs. */
export interface SearchAccess {
  readonly domain: IDomain;
  /** `https://<endpoint>` */
  readonly endpoint: string;
  /** In the VPC: functions that declare `search` join it with this security group. */
  readonly network?: {
    readonly vpc: ec2.IVpc;
    readonly subnets: ec2.SubnetSelection;
    readonly clientSecurityGroup: ec2.ISecurityGroup;
  };
}

/**
 * Stateful: the product search domain (Amazon OpenSearch Service) from the stage config: data nodes spread
 * over availability zones when there are several (zone awareness, one replica per index), dedicated masters
 * when the stage names them, gp3 volumes, encryption at rest and node to node, HTTPS only with TLS 1.2, slow
 * and error logs to CloudWatch, in the cache VPC's isolated subnets when the stage has one (443 from the
 * search clients only). Access is IAM: the domain trusts this account's principals and each function's role
 * holds only the es:ESHttp* actions its `search` declaration allows (ServiceFunction.bindSearch).
 */
export class SearchStack extends Stack {
  readonly access: SearchAccess;

  constructor(scope: Construct, id: string, props: SearchStackProps) {
    super(scope, id, props);
    const { search } = props;
    const removalPolicy = props.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const zones = search.instanceCount > 1 ? Math.min(search.instanceCount, 3) : 1;
    const logs = (name: string) => new LogGroup(this, name, { retention: props.logRetention, removalPolicy });

    let network: SearchAccess['network'];
    let domainNetwork: Partial<ConstructorParameters<typeof Domain>[2]> = {};
    if (props.vpc) {
      const clientSecurityGroup = new ec2.SecurityGroup(this, 'SearchClients', {
        vpc: props.vpc,
        description: 'Functions that declare search; the only source the search domain accepts',
        allowAllOutbound: true,
      });
      const domainSecurityGroup = new ec2.SecurityGroup(this, 'SearchDomain', {
        vpc: props.vpc,
        description: 'The search domain: HTTPS from the search clients only',
        allowAllOutbound: false,
      });
      domainSecurityGroup.addIngressRule(clientSecurityGroup, ec2.Port.tcp(443), 'HTTPS from search clients');
      const subnets = { subnets: props.vpc.isolatedSubnets.slice(0, zones) };
      network = { vpc: props.vpc, subnets, clientSecurityGroup };
      domainNetwork = { vpc: props.vpc, vpcSubnets: [subnets], securityGroups: [domainSecurityGroup] };
    }

    const domain = new Domain(this, 'Products', {
      version: EngineVersion.OPENSEARCH_2_19,
      capacity: {
        dataNodeInstanceType: search.instanceType,
        dataNodes: search.instanceCount,
        ...(search.dedicatedMasterType
          ? { masterNodeInstanceType: search.dedicatedMasterType, masterNodes: 3 }
          : {}),
        multiAzWithStandbyEnabled: false,
      },
      zoneAwareness: zones > 1 ? { enabled: true, availabilityZoneCount: zones } : { enabled: false },
      ebs: { volumeSize: search.volumeGiB ?? 20, volumeType: EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true, ...(props.encryptionKey ? { kmsKey: props.encryptionKey } : {}) },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2,
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: logs('SlowSearchLogs'),
        slowIndexLogEnabled: true,
        slowIndexLogGroup: logs('SlowIndexLogs'),
        appLogEnabled: true,
        appLogGroup: logs('AppLogs'),
      },
      // Identity-based least privilege: the domain trusts this account; each role names its actions.
      accessPolicies: [
        new iam.PolicyStatement({
          principals: [new iam.AccountRootPrincipal()],
          actions: ['es:ESHttp*'],
          resources: [`arn:${this.partition}:es:${this.region}:${this.account}:domain/*/*`],
        }),
      ],
      removalPolicy,
      ...domainNetwork,
    });
    this.access = { domain, endpoint: `https://${domain.domainEndpoint}`, network };

    // The Domain construct writes the CloudWatch Logs resource policy of its log groups (and, with a
    // customer-managed key, checks the key) through CDK's AwsCustomResource singleton function: its shape is
    // CDK's, not ours, and it runs at deploy time only. Nothing else in this stack is a function or a role.
    const customResource =
      'The deploy-time AwsCustomResource function the OpenSearch Domain construct uses for its log groups resource policy';
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason: customResource,
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: `${customResource}: logs:PutResourcePolicy takes no resource`,
        appliesTo: ['Resource::*', 'Action::kms:Describe*', 'Action::kms:List*'],
      },
      { id: 'AwsSolutions-L1', reason: customResource },
      { id: 'Serverless-LambdaDefaultMemorySize', reason: customResource },
      { id: 'Serverless-LambdaDLQ', reason: customResource },
      { id: 'Serverless-LambdaLatestVersion', reason: customResource },
      { id: 'Serverless-LambdaTracing', reason: customResource },
    ]);

    NagSuppressions.addResourceSuppressions(
      domain,
      [
        {
          id: 'AwsSolutions-OS3',
          reason: props.vpc
            ? 'In the VPC: reachable only from the SearchClients security group, no IP allowlist applies'
            : 'No VPC on this stage: every request is SigV4-signed and authorised by IAM (no anonymous access)',
        },
        {
          id: 'AwsSolutions-OS5',
          reason:
            'The access policy trusts only this account; every request is SigV4-signed and each role holds only the es:ESHttp* actions its function declares',
        },
        ...(search.dedicatedMasterType
          ? []
          : [
              {
                id: 'AwsSolutions-OS4',
                reason: `${search.instanceCount} data node(s) on this stage: dedicated masters are for the production cluster`,
              },
            ]),
        ...(zones > 1
          ? []
          : [
              {
                id: 'AwsSolutions-OS7',
                reason: 'A single data node on this stage: nothing to spread across zones',
              },
            ]),
        ...(props.vpc
          ? []
          : [
              {
                id: 'AwsSolutions-OS1',
                reason: 'This stage has no VPC; the domain is IAM-protected over HTTPS',
              },
            ]),
      ],
      true,
    );
  }
}
