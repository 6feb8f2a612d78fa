import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType as DdbAttributeType,
  BillingMode,
  type ITable,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { HttpMethods, type IBucket } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { AppDef, KeyDef } from '../app/types';
import type { StageConfig } from '../config/stages';
import { AccessLogsBucket, SecureBucket } from '../constructs/secure-bucket';
import { ServiceQueue } from '../constructs/service-queue';

export interface DataStackProps extends StackProps {
  /** What to create: every table, bucket and queue of the app definition. */
  readonly definition: Pick<AppDef, 'tables' | 'buckets' | 'queues'> & Partial<Pick<AppDef, 'secrets'>>;
  readonly data: StageConfig['data'];
  /** Server access logs expire after this many days. */
  readonly accessLogExpirationDays: number;
  /** Origins allowed to PUT into buckets that take browser uploads. */
  readonly corsAllowOrigins: readonly string[];
}

/**
 * Stateful: DynamoDB tables, S3 buckets and SQS queues (messages outlive a redeploy of the functions).
 * Resources are handed out as typed objects by logical name.
 */
export class DataStack extends Stack {
  readonly tables: Readonly<Record<string, ITable>>;
  readonly buckets: Readonly<Record<string, IBucket>>;
  /** Each queue of the app definition with its dead-letter queue. */
  readonly queues: Readonly<Record<string, { readonly queue: IQueue; readonly deadLetterQueue: IQueue }>>;
  /** Each secret of the app definition (its value is put by an operator, docs/operations.md). */
  readonly secrets: Readonly<Record<string, ISecret>>;
  /** The customer-managed key of tables and buckets, when the stage uses one. */
  readonly encryptionKey?: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const removalPolicy =
      props.data.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    if (props.data.encryption === 'customer-managed') {
      this.encryptionKey = new Key(this, 'DataKey', {
        description: 'Encrypts Zepto tables, buckets and queues',
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
        removalPolicy,
      });
    }

    const tables: Record<string, ITable> = {};
    for (const def of props.definition.tables) {
      const table = new Table(this, def.name, {
        partitionKey: ddbKey(def.partitionKey),
        sortKey: def.sortKey && ddbKey(def.sortKey),
        billingMode: BillingMode.PAY_PER_REQUEST,
        ...(this.encryptionKey
          ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.encryptionKey }
          : { encryption: TableEncryption.AWS_MANAGED }),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: props.data.pointInTimeRecovery },
        deletionProtection: props.data.tableDeletionProtection,
        timeToLiveAttribute: def.timeToLiveAttribute,
        stream: def.stream && StreamViewType[def.stream],
        removalPolicy,
      });
      for (const index of def.indexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: ddbKey(index.partitionKey),
          sortKey: index.sortKey && ddbKey(index.sortKey),
        });
      }
      if (!props.data.pointInTimeRecovery) {
        NagSuppressions.addResourceSuppressions(table, [
          {
            id: 'AwsSolutions-DDB3',
            reason: 'Point-in-time recovery is off on this stage by its config: throw-away data',
          },
        ]);
      }
      tables[def.name] = table;
    }
    this.tables = tables;

    const buckets: Record<string, IBucket> = {};
    if (props.definition.buckets.length > 0) {
      const accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
        removalPolicy,
        expirationDays: props.accessLogExpirationDays,
      });
      for (const def of props.definition.buckets) {
        buckets[def.name] = new SecureBucket(this, def.name, {
          serverAccessLogsBucket: accessLogs,
          removalPolicy,
          encryptionKey: this.encryptionKey,
          versioned: props.data.bucketVersioning,
          expirations: def.expirations,
          cors: def.browserUploads
            ? [
                {
                  allowedMethods: [HttpMethods.PUT],
                  allowedOrigins: [...props.corsAllowOrigins],
                  allowedHeaders: ['*'],
                  exposedHeaders: ['ETag'],
                  maxAge: 3000,
                },
              ]
            : undefined,
        });
      }
    }
    this.buckets = buckets;

    const queues: Record<string, ServiceQueue> = {};
    for (const def of props.definition.queues ?? []) {
      queues[def.name] = new ServiceQueue(this, `${def.name}Queue`, {
        def,
        encryptionKey: this.encryptionKey,
        removalPolicy,
      });
    }
    this.queues = queues;

    const secrets: Record<string, ISecret> = {};
    for (const def of props.definition.secrets ?? []) {
      const secret = new Secret(this, `${def.name}Secret`, {
        description: `Zepto: ${def.description}`,
        encryptionKey: this.encryptionKey,
        // A random value until an operator puts the provider's (a function reading it fails loudly, never open).
        generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
        removalPolicy,
      });
      NagSuppressions.addResourceSuppressions(secret, [
        {
          id: 'AwsSolutions-SMG4',
          reason: `${def.name} is issued by the payment provider and rotated there; an operator puts the new value (docs/operations.md)`,
        },
      ]);
      secrets[def.name] = secret;
    }
    this.secrets = secrets;
  }
}

function ddbKey(key: KeyDef): { name: string; type: DdbAttributeType } {
  return { name: key.name, type: key.type === 'S' ? DdbAttributeType.STRING : DdbAttributeType.NUMBER };
}
