/**
 * SES feedback (the configuration set's bounce and complaint events, through SNS to a queue): a permanent
 * bounce or a complaint suppresses the address, so the dispatcher marks later email deliveries to it
 * SUPPRESSED with the reason instead of sending. Transient bounces (a full mailbox) suppress nothing.
 */
import * as z from 'zod/mini';
import type { SuppressionList } from '../ports';

const recipients = z.array(z.object({ emailAddress: z.string().check(z.minLength(3), z.maxLength(320)) }));

/** The part of an SES event record (SNS raw message delivery) this reads. */
export const sesEventSchema = z.object({
  eventType: z.string(),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
  mail: z.optional(z.object({ timestamp: z.optional(z.string()) })),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

export async function recordEmailFeedback(
  deps: { suppressions: SuppressionList; now: () => Date },
  event: SesEvent,
): Promise<string[]> {
  const at = deps.now().toISOString();
  const suppressed: string[] = [];
  if (event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent')
    for (const r of event.bounce.bouncedRecipients) {
      await deps.suppressions.suppress(r.emailAddress, 'Permanent bounce', at);
      suppressed.push(r.emailAddress);
    }
  if (event.eventType === 'Complaint')
    for (const r of event.complaint?.complainedRecipients ?? []) {
      await deps.suppressions.suppress(r.emailAddress, 'Complaint', at);
      suppressed.push(r.emailAddress);
    }
  return suppressed;
}
