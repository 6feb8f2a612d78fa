/**
 * The dispatcher's fan-out per SQS batch: the channel messages of a batch's records go out together — one
 * SendMessageBatch per channel and 10 messages — instead of up to four calls per record (the batch's
 * records are dispatched in parallel, each ending in one send).
 *
 * Every record that will dispatch counts as expected; each either hands over its messages (its send) or
 * ends without sending (`skip`: it failed before). When all have arrived, the messages are sent, and each
 * record's send settles with that one call: a refused send fails every record of the batch that sent, and
 * SQS delivers them again — harmless, the dispatcher re-sends what is still QUEUED and the workers' claims
 * make a second message a no-op.
 */
import type { ChannelMessage } from '../domain';
import type { ChannelQueues } from '../ports';

export interface BatchFanOut {
  /** The queues a record's dispatch sends to (once per record). */
  readonly queues: ChannelQueues;
  /** A record that ends without sending. */
  skip(): void;
}

export function batchFanOut(queues: ChannelQueues, expected: number): BatchFanOut {
  const pending: ChannelMessage[] = [];
  let arrived = 0;
  let release: (sent: Promise<void>) => void = () => undefined;
  const sent = new Promise<Promise<void>>((resolve) => {
    release = resolve;
  });
  const arrive = () => {
    arrived += 1;
    if (arrived === expected) release(queues.send(pending));
  };
  return {
    queues: {
      async send(messages) {
        pending.push(...messages);
        arrive();
        await (await sent);
      },
    },
    skip: arrive,
  };
}
