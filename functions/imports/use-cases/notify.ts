/** The machine's last step: a notification request for the merchant (the notifications work consumes it). */
import type { NotificationRequest } from '#shared/published/notification-request';
import type { NotifyTask } from '../machine';

export interface NotifyDeps {
  readonly notify: (requests: readonly NotificationRequest[]) => Promise<void>;
  readonly now: () => string;
}

/**
 * One request per import outcome; its idempotency key is the import's, so a retried Task (or a re-run
 * state) is delivered once.
 */
export async function notifyMerchant(deps: NotifyDeps, task: NotifyTask): Promise<{ notified: string }> {
  const eventType = task.status === 'FAILED' ? 'inventory_import.failed' : 'inventory_import.finished';
  await deps.notify([
    {
      eventType,
      userId: task.merchantId,
      data: {
        importId: task.importId,
        storeId: task.storeId,
        status: task.status,
        ...(task.counts ? { counts: task.counts } : {}),
        ...(task.reportKey ? { reportKey: task.reportKey } : {}),
        ...(task.reason ? { reason: task.reason } : {}),
      },
      idempotencyKey: `${eventType}:${task.importId}`,
      priority: 'transactional',
      occurredAt: deps.now(),
    },
  ]);
  return { notified: task.merchantId };
}
