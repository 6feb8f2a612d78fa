import { Match } from 'aws-cdk-lib/assertions';
import { app as realApp } from '../../lib/app/app';
import { fixtureApp } from './fixtures/app';
import { synth, type Synthesized } from './fixtures/synth';

describe('DataStack', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth('dev');
    prod = synth('prod');
  });

  it('creates every table of the app definition, on demand', () => {
    prod.templates.data.resourceCountIs('AWS::DynamoDB::Table', fixtureApp.tables.length);
    prod.templates.data.allResourcesProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
    expect(Object.keys(prod.data.tables).sort()).toEqual(fixtureApp.tables.map((t) => t.name).sort());
  });

  it('turns point-in-time recovery on in prod and off in dev', () => {
    prod.templates.data.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    dev.templates.data.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
  });

  it('encrypts prod tables with a rotated customer-managed key, dev tables with the AWS managed key', () => {
    prod.templates.data.resourceCountIs('AWS::KMS::Key', 1);
    prod.templates.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    prod.templates.data.allResourcesProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
      },
    });
    dev.templates.data.resourceCountIs('AWS::KMS::Key', 0);
    dev.templates.data.allResourcesProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
  });

  it('retains prod tables and protects them from deletion; dev tables go with the stack', () => {
    prod.templates.data.allResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    prod.templates.data.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    dev.templates.data.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('protects the prod stateful stacks from termination, not dev ones', () => {
    expect(prod.data.terminationProtection).toBe(true);
    expect(prod.auth.terminationProtection).toBe(true);
    expect(prod.api.terminationProtection).toBe(false);
    expect(dev.data.terminationProtection).toBe(false);
  });

  it('declares the global secondary indexes of a table', () => {
    prod.templates.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'gsi2',
          KeySchema: [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('declares TTL and streams only where the definition asks', () => {
    prod.templates.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'expiresAt', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'expiresAt', AttributeType: 'N' }]),
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    const withStreams = prod.templates.data.findResources('AWS::DynamoDB::Table', {
      Properties: { StreamSpecification: Match.anyValue() },
    });
    expect(Object.keys(withStreams)).toHaveLength(1);
  });

  describe('buckets', () => {
    const dataBuckets = fixtureApp.buckets.length;

    it('creates every bucket of the definition plus one access-log bucket', () => {
      prod.templates.data.resourceCountIs('AWS::S3::Bucket', dataBuckets + 1);
      expect(Object.keys(prod.data.buckets).sort()).toEqual(fixtureApp.buckets.map((b) => b.name).sort());
    });

    it('blocks public access and disables ACLs on every bucket', () => {
      prod.templates.data.allResourcesProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    it('denies every request without TLS on every bucket', () => {
      prod.templates.data.resourceCountIs('AWS::S3::BucketPolicy', dataBuckets + 1);
      prod.templates.data.allResourcesProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('encrypts data buckets with the stage key in prod and SSE-S3 in dev, and logs their access', () => {
      const kms = prod.templates.data.findResources('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                BucketKeyEnabled: true,
                ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
              },
            ],
          },
          LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: Match.anyValue() },
        },
      });
      expect(Object.keys(kms)).toHaveLength(dataBuckets);
      dev.templates.data.allResourcesProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
    });

    it('lets browsers PUT only into buckets that take browser uploads', () => {
      const withCors = prod.templates.data.findResources('AWS::S3::Bucket', {
        Properties: { CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['PUT'] })] } },
      });
      expect(Object.keys(withCors)).toHaveLength(fixtureApp.buckets.filter((b) => b.browserUploads).length);
    });

    it('expires the objects under a declared prefix (the real app: import chunks after 7 days)', () => {
      const real = synth('prod', realApp);
      const [imports] = Object.values(
        real.templates.data.findResources('AWS::S3::Bucket', {
          Properties: {
            LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'chunks/' })]) },
          },
        }),
      );
      expect(imports!.Properties.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          {
            Id: 'expire-chunks',
            Prefix: 'chunks/',
            ExpirationInDays: 7,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
          },
          {
            Id: 'abort-incomplete-uploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            Status: 'Enabled',
          },
        ]),
      );
      // Nothing else expires: the merchants' CSVs and error reports stay; exchange photos go after 90 days.
      const prefixes = Object.values(real.templates.data.findResources('AWS::S3::Bucket')).flatMap((b) =>
        (b.Properties.LifecycleConfiguration?.Rules ?? [])
          .filter((r: { ExpirationInDays?: number }) => r.ExpirationInDays)
          .map((r: { Prefix?: string }) => r.Prefix ?? '(all)'),
      );
      expect(prefixes.sort()).toEqual(['(all)', 'chunks/', 'exchanges/']);
    });

    it('retains prod buckets', () => {
      prod.templates.data.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    });
  });
});
