import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CorsRule,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Where S3 server access logs go (required: every data bucket is audited). */
  readonly serverAccessLogsBucket: IBucket;
  readonly removalPolicy: RemovalPolicy;
  /** SSE-KMS with this key (and an S3 Bucket Key to cut KMS calls); SSE-S3 when absent. */
  readonly encryptionKey?: IKey;
  /** @default false */
  readonly versioned?: boolean;
  /** Old versions expire after this many days. @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /** e.g. PUT from browsers with pre-signed URLs. */
  readonly cors?: CorsRule[];
  /** Objects under these prefixes expire this many days after they were written. */
  readonly expirations?: readonly { readonly prefix: string; readonly days: number }[];
}

/**
 * A private bucket: public access blocked, object ownership enforced (no ACLs), TLS 1.2+ only,
 * encrypted at rest, access logged, incomplete multipart uploads cleaned up.
 */
export class SecureBucket extends Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      ...(props.encryptionKey
        ? { encryption: BucketEncryption.KMS, encryptionKey: props.encryptionKey, bucketKeyEnabled: true }
        : { encryption: BucketEncryption.S3_MANAGED }),
      versioned: props.versioned ?? false,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: `${id}/`,
      cors: props.cors,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        ...(props.versioned
          ? [
              {
                id: 'expire-old-versions',
                noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays ?? 30),
              },
            ]
          : []),
        ...(props.expirations ?? []).map(({ prefix, days }) => ({
          id: `expire-${prefix.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`,
          prefix,
          expiration: Duration.days(days),
          // With versioning on, the expired object's old version goes too.
          ...(props.versioned ? { noncurrentVersionExpiration: Duration.days(1) } : {}),
        })),
      ],
    });
  }
}

export interface AccessLogsBucketProps {
  readonly removalPolicy: RemovalPolicy;
  /** Log objects expire after this many days. */
  readonly expirationDays: number;
}

/**
 * The target of S3 server access logs: private, TLS only, SSE-S3 (log delivery cannot write SSE-KMS
 * with a customer key), objects expire. It does not log its own access (that would loop).
 * Log delivery is granted by bucket policy, which needs the feature flag
 * `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy` (cdk.json); with ACLs it would clash with
 * BucketOwnerEnforced and synthesis fails.
 */
export class AccessLogsBucket extends Bucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.expirationDays) }],
    });
    NagSuppressions.addResourceSuppressions(this, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This is the server access log bucket; logging it into itself would loop',
      },
    ]);
  }
}
