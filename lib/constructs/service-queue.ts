import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_RETENTION_DAYS,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
} from '../app/queues';
import type { QueueDef } from '../app/types';
/** The longest SQS keeps a message: a DLQ holds what failed for as long as possible. */
const DLQ_RETENTION_DAYS = 14;

export interface ServiceQueueProps {
  readonly def: QueueDef;
  /** Customer-managed key of the stage; SQS-managed encryption (SSE-SQS) without one. */
  readonly encryptionKey?: IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A queue of the app definition and its dead-letter queue: both encrypted at rest, both refusing
 * non-TLS requests, the queue redriving to the DLQ after `maxReceiveCount` deliveries.
 */
export class ServiceQueue extends Construct {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: ServiceQueueProps) {
    super(scope, id);
    const { def } = props;
    const encryption = props.encryptionKey
      ? { encryption: QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey }
      : { encryption: QueueEncryption.SQS_MANAGED };
    const fifo = def.fifo ? { fifo: true, contentBasedDeduplication: false } : {};

    const dlq = new Queue(this, 'Dlq', {
      ...encryption,
      ...fifo,
      enforceSSL: true,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      removalPolicy: props.removalPolicy,
    });
    NagSuppressions.addResourceSuppressions(dlq, [
      { id: 'AwsSolutions-SQS3', reason: `This is the dead-letter queue of ${def.name}` },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: `This is the dead-letter queue of ${def.name}: the end of the line, alarmed and redriven by an operator`,
      },
    ]);
    this.deadLetterQueue = dlq;

    this.queue = new Queue(this, 'Queue', {
      ...encryption,
      ...fifo,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(def.retentionDays ?? DEFAULT_RETENTION_DAYS),
      deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
      removalPolicy: props.removalPolicy,
    });
  }
}
