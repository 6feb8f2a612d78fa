/**
 * The event of a scheduled function (EventBridge Scheduler). CDK renders each schedule with this input,
 * filled by Scheduler's context attributes; the local scheduler (local/scheduler.ts) sends the same shape.
 * `input` carries the stage's settings for the run (StageConfig schedules), parsed by the handler.
 */
import { z } from 'zod';

export const scheduledEventSchema = z.object({
  source: z.literal('zepto.scheduler'),
  scheduleArn: z.string().min(1),
  scheduledTime: z.string().min(1),
  executionId: z.string().min(1),
  attempt: z.coerce.number().int().min(1).optional(),
  input: z.record(z.string(), z.unknown()).default({}),
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
