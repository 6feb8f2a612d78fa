/**
 * The event of a scheduled function (EventBridge Scheduler). CDK renders each schedule with this input,
 * filled by Scheduler's context attributes; the local scheduler (local/scheduler.ts) sends the same shape.
 * `input` carries the stage's settings for the run (StageConfig schedules), parsed by the handler.
 */
import * as z from 'zod/mini';

export const scheduledEventSchema = z.object({
  source: z.literal('zepto.scheduler'),
  scheduleArn: z.string().check(z.minLength(1)),
  scheduledTime: z.string().check(z.minLength(1)),
  executionId: z.string().check(z.minLength(1)),
  attempt: z.optional(z.coerce.number().check(z.int(), z.gte(1))),
  input: z._default(z.record(z.string(), z.unknown()), {}),
});
export type ScheduledEvent = z.infer<typeof scheduledEventSchema>;

/** The Input template of a schedule: Scheduler replaces the <aws.scheduler.*> attributes at each run. */
export function scheduleInputTemplate(input: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({
    source: 'zepto.scheduler',
    scheduleArn: '<aws.scheduler.schedule-arn>',
    scheduledTime: '<aws.scheduler.scheduled-time>',
    executionId: '<aws.scheduler.execution-id>',
    attempt: '<aws.scheduler.attempt-number>',
    input,
  });
}
