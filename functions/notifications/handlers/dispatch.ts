import type { Context, SQSEvent } from 'aws-lambda';
import { notificationRequestSchema } from '#shared/published/notification-request';
import { queueHandler } from '#shared/queue/consumer';
import { dispatch } from '../use-cases/dispatch';
import { batchFanOut, type BatchFanOut } from '../use-cases/fan-out';
import { dispatchDeps } from '../wiring';

const deps = dispatchDeps();
/** This invocation's fan-out (an environment runs one invocation at a time). */
let fanOut: BatchFanOut;

const perRecord = queueHandler(notificationRequestSchema, async (request) => {
  let sent = false;
  try {
    await dispatch(
      {
        ...deps,
        queues: {
          send: (messages) => {
            sent = true;
            return fanOut.queues.send(messages);
          },
        },
      },
      request,
    );
  } finally {
    if (!sent) fanOut.skip();
  }
});

/** Records whose body the consumer rejects never dispatch: they are not waited for. */
const dispatches = (body: string): boolean => {
  try {
    return notificationRequestSchema.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
};

export const handler = (event: SQSEvent, context: Context) => {
  fanOut = batchFanOut(deps.queues, event.Records.filter((r) => dispatches(r.body)).length);
  return perRecord(event, context);
};
