import type { ChannelMessage } from '../../../functions/notifications/domain';
import { batchFanOut } from '../../../functions/notifications/use-cases/fan-out';

const msg = (n: number, channel: ChannelMessage['channel'] = 'in_app'): ChannelMessage => ({
  notificationId: `N${n}`,
  userId: `U${n}`,
  channel,
});

describe("the dispatcher's fan-out per batch", () => {
  it('sends the messages of every record of a batch in one send, once all have arrived', async () => {
    const sends: ChannelMessage[][] = [];
    const fanOut = batchFanOut({ send: async (m) => void sends.push([...m]) }, 3);
    const first = fanOut.queues.send([msg(1), msg(1, 'email')]);
    const second = fanOut.queues.send([msg(2)]);
    await Promise.resolve();
    expect(sends).toHaveLength(0);
    // The third record failed before sending: the others do not wait for it.
    fanOut.skip();
    await Promise.all([first, second]);
    expect(sends).toEqual([[msg(1), msg(1, 'email'), msg(2)]]);
  });

  it('fails every record that sent when the send is refused, so SQS delivers them again', async () => {
    const fanOut = batchFanOut(
      {
        send: async () => {
          throw new Error('SQS refused 1 message');
        },
      },
      2,
    );
    const results = await Promise.allSettled([fanOut.queues.send([msg(1)]), fanOut.queues.send([msg(2)])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
