import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnParameterGroup, CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config/stages';

/**
 * Not 6379: AwsSolutions-AEC5 wants a non-default port (scanners probe the default one). The local
 * redis-server is on a free port anyway.
 */
export const CACHE_PORT = 6390;

export interface CacheStackProps extends StackProps {
  readonly cache: StageConfig['cache'];
  /** What the functions in the VPC reach besides the cache: gateway endpoints, and SQS as an interface one. */
  readonly endpoints: { readonly dynamodb: boolean; readonly s3: boolean; readonly sqs?: boolean };
  readonly removalPolicy: 'destroy' | 'retain';
  /** `customer-managed`: a rotated KMS key for the cache at rest and the AUTH secret. */
  readonly encryption: 'aws-managed' | 'customer-managed';
  readonly logRetention: RetentionDays;
}

/** What the API stack needs to put a function next to the cache: typed objects, never names or ARNs. */
export interface CacheAccess {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The only security group the cache accepts connections from. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  readonly authSecret: ISecret;
  /** Primary endpoint `host:port` (a token resolved at deploy time). */
  readonly endpoint: string;
  readonly tls: boolean;
}

/**
 * Stateful: the cache's network and the cache. A VPC with isolated subnets only (no NAT, no internet
 * route) and flow logs; gateway endpoints for what the functions read (DynamoDB, S3) and an interface
 * endpoint for Secrets Manager (the AUTH token); a Valkey replication group with encryption at rest and in
 * transit, AUTH from Secrets Manager, the stage's eviction policy and Multi-AZ failover when the stage has
 * replicas in other AZs.
 */
export class CacheStack extends Stack {
  readonly access: CacheAccess;

  constructor(scope: Construct, id: string, props: CacheStackProps) {
    super(scope, id, props);
    const { cache } = props;
    if (cache.multiAz && cache.replicas < 1) throw new Error('Multi-AZ needs at least one replica');
    const removalPolicy = props.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    // Explicit AZ names keep synthesis offline and account-agnostic (no AZ lookup) with more than two AZs.
    const availabilityZones = 'abcdef'
      .slice(0, cache.availabilityZones)
      .split('')
      .map((letter) => `${this.region}${letter}`);
    const flowLogs = new LogGroup(this, 'FlowLogs', { retention: props.logRetention, removalPolicy });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      availabilityZones,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    const subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    const clients = new ec2.SecurityGroup(this, 'CacheClients', {
      vpc,
      description: 'Functions that declare the cache; the only source the cache accepts',
      // Isolated subnets have no route out: egress can only reach the VPC endpoints and the cache.
      allowAllOutbound: true,
    });
    const cacheGroup = new ec2.SecurityGroup(this, 'Cache', {
      vpc,
      description: 'The cache: its port, from the cache clients only',
      allowAllOutbound: false,
    });
    cacheGroup.addIngressRule(clients, ec2.Port.tcp(CACHE_PORT), 'Cache clients');

    if (props.endpoints.dynamodb)
      vpc.addGatewayEndpoint('DynamoDb', {
        service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
        subnets: [subnets],
      });
    if (props.endpoints.s3)
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: [subnets] });
    const endpointGroup = new ec2.SecurityGroup(this, 'Endpoints', {
      vpc,
      description: 'Interface endpoints: HTTPS from the cache clients only',
      allowAllOutbound: false,
    });
    endpointGroup.addIngressRule(clients, ec2.Port.tcp(443), 'Cache clients');
    vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets,
      securityGroups: [endpointGroup],
      open: false,
      privateDnsEnabled: true,
    });
    if (props.endpoints.sqs)
      vpc.addInterfaceEndpoint('Sqs', {
        service: ec2.InterfaceVpcEndpointAwsService.SQS,
        subnets,
        securityGroups: [endpointGroup],
        open: false,
        privateDnsEnabled: true,
      });

    const key =
      props.encryption === 'customer-managed'
        ? new Key(this, 'CacheKey', {
            description: 'Encrypts the Zepto cache at rest and its AUTH token',
            enableKeyRotation: true,
            pendingWindow: Duration.days(30),
            removalPolicy,
          })
        : undefined;
    const authSecret = new Secret(this, 'CacheAuthToken', {
      description: 'AUTH token of the Zepto cache (read by the functions that declare the cache)',
      encryptionKey: key,
      removalPolicy,
      // ElastiCache AUTH tokens: 16-128 printable characters without @, " or / — alphanumerics are safe.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    NagSuppressions.addResourceSuppressions(authSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'ElastiCache AUTH rotation needs ModifyReplicationGroup (ROTATE then SET) in step with the secret; done by the runbook (docs/operations.md), not a rotation Lambda yet',
      },
    ]);

    const subnetGroup = new CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'Isolated subnets of the Zepto cache',
      subnetIds: vpc.selectSubnets(subnets).subnetIds,
    });
    const parameters = new CfnParameterGroup(this, 'Parameters', {
      cacheParameterGroupFamily: 'valkey8',
      description: `Zepto cache: ${cache.evictionPolicy}`,
      properties: { 'maxmemory-policy': cache.evictionPolicy },
    });
    const group = new CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'Zepto read-through / write-through cache',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: cache.nodeType,
      numCacheClusters: 1 + cache.replicas,
      multiAzEnabled: cache.multiAz,
      automaticFailoverEnabled: cache.multiAz,
      cacheParameterGroupName: parameters.ref,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [cacheGroup.securityGroupId],
      port: CACHE_PORT,
      atRestEncryptionEnabled: true,
      kmsKeyId: key?.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      authToken: authSecret.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: cache.snapshotRetentionDays,
      autoMinorVersionUpgrade: true,
    });
    group.applyRemovalPolicy(removalPolicy);
    if (!cache.multiAz) {
      NagSuppressions.addResourceSuppressions(group, [
        {
          id: 'AwsSolutions-AEC4',
          reason:
            'Single node on this stage by its config (cache.multiAz false): the cache fails open to DynamoDB',
        },
      ]);
    }

    this.access = {
      vpc,
      subnets,
      clientSecurityGroup: clients,
      authSecret,
      endpoint: `${group.attrPrimaryEndPointAddress}:${group.attrPrimaryEndPointPort}`,
      tls: true,
    };
  }
}
