/** What the workers and the health route do to queues beyond sending: delay a redelivery, read depths. */
import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { sqsClient } from '#shared/aws/sqs';

/** The next delivery of a received message comes after `seconds` (the backoff between attempts). */
export async function delayRedelivery(
  queueUrl: string,
  receiptHandle: string,
  seconds: number,
): Promise<void> {
  await sqsClient.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
}

/** Messages waiting in a queue: visible, in flight and delayed. */
export async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqsClient.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}
