/** sendMessages: batching, retries of SQS-side failures, and never reporting a refused message as sent. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsClient } from '../../../functions/shared/aws/sqs';
import { QueueSendError, sendMessages } from '../../../functions/shared/queue/send';

const sqs = mockClient(SQSClient);
const URL = 'https://sqs.ap-south-1.amazonaws.com/1/q';
beforeEach(() => sqs.reset());
afterAll(() => sqs.restore());

const entriesOf = (call: number) =>
  (sqs.commandCalls(SendMessageBatchCommand)[call]!.args[0].input.Entries ?? []).map((e) => e.Id);

it('uses the shared SQS client', () => {
  expect(sqsClient).toBeInstanceOf(SQSClient);
});

it('sends in batches of at most 10, each body as JSON, with FIFO and delay fields', async () => {
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  await sendMessages(
    URL,
    Array.from({ length: 23 }, (_, i) => ({
      body: { n: i },
      groupId: 'g',
      deduplicationId: `d${i}`,
      delaySeconds: 1,
    })),
  );
  const calls = sqs.commandCalls(SendMessageBatchCommand);
  expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
  expect(calls[0]!.args[0].input).toMatchObject({
    QueueUrl: URL,
    Entries: expect.arrayContaining([
      { Id: '0', MessageBody: '{"n":0}', MessageGroupId: 'g', MessageDeduplicationId: 'd0', DelaySeconds: 1 },
    ]) as unknown,
  });
});

it('splits a batch before it passes 1 MiB', async () => {
  sqs.on(SendMessageBatchCommand).resolves({ Failed: [] });
  const big = 'x'.repeat(400 * 1024);
  await sendMessages(URL, [{ body: big }, { body: big }, { body: big }]);
  expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
    2, 1,
  ]);
});

it('sends again only the entries SQS failed on its side, and succeeds when they go through', async () => {
  sqs
    .on(SendMessageBatchCommand)
    .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] })
    .resolves({ Failed: [] });
  await sendMessages(URL, [{ body: 1 }, { body: 2 }, { body: 3 }]);
  expect(entriesOf(0)).toEqual(['0', '1', '2']);
  expect(entriesOf(1)).toEqual(['1']);
});

it('throws when an entry is still refused after three attempts', async () => {
  sqs
    .on(SendMessageBatchCommand)
    .resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
  await expect(sendMessages(URL, [{ body: 1 }])).rejects.toThrow(QueueSendError);
  expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
});

it("throws at once on the sender's fault (retrying would not help)", async () => {
  sqs.on(SendMessageBatchCommand).resolves({
    Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'bad', SenderFault: true }],
  });
  await expect(sendMessages(URL, [{ body: 1 }])).rejects.toThrow(
    'SQS refused 1 message(s): InvalidParameterValue (bad)',
  );
  expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
});
