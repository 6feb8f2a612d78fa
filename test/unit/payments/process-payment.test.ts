/** The worker's use case with fakes: what it asks the provider, in which order, and what it answers the queue. */
import {
  BreakerOpenError,
  ProviderTimeoutError,
  ProviderUnavailableError,
  type ChargeOutcome,
  type Payment,
} from '../../../functions/payments/domain';
import type { PaymentProvider, WorkerDeps } from '../../../functions/payments/ports';
import { processPayment } from '../../../functions/payments/use-cases/process-payment';

const PAYMENT: Payment = {
  paymentId: '01JWMCKG008FW2KRKYRBXZ9WB9',
  orderId: '01JWMCKGZ8PH57H5PWSPGT87KK',
  customerId: 'c1',
  amountPaise: 25_000,
  currency: 'INR',
  method: 'card',
  paymentToken: 'tok_visa',
  status: 'PENDING',
  attempts: 0,
  createdAt: '2026-12-02T00:00:00.000Z',
  updatedAt: '2026-12-02T00:00:00.000Z',
};

function world(payment: Payment, provider: Partial<PaymentProvider>, open = false) {
  const calls: string[] = [];
  let current = payment;
  const deps: WorkerDeps = {
    payments: {
      get: async () => current,
      startAttempt: async () => {
        calls.push('startAttempt');
        current = { ...current, status: 'PROCESSING', attempts: current.attempts + 1 };
        return current;
      },
      recordFailure: async (_id: string, reason: string) => {
        calls.push(`failure:${reason}`);
      },
      settle: async (_id: string, outcome: ChargeOutcome) => {
        calls.push(`settle:${outcome.outcome}`);
        return outcome.outcome === 'succeeded' ? 'confirmed' : 'failed';
      },
    } as unknown as WorkerDeps['payments'],
    queues: {
      requestPayment: async () => undefined,
      requestRefunds: async () => undefined,
      notify: async (n) => {
        calls.push(`notify:${n[0]!.eventType}`);
      },
    },
    provider: {
      name: 'simulator',
      charge: async () => {
        throw new Error('unexpected charge');
      },
      chargeStatus: async () => undefined,
      refund: async () => ({ reference: 're_1' }),
      refundStatus: async () => undefined,
      ...provider,
    },
    breaker: {
      execute: async (fn) => {
        if (open) throw new BreakerOpenError(3_000);
        return fn();
      },
      summary: async () => ({ breaker: 'closed', failureRate: 0 }),
    },
    logger: { info: () => undefined, warn: () => undefined },
    now: () => new Date('2026-12-02T00:00:01.000Z'),
    newId: () => 'id',
    retryBaseSeconds: 2,
  };
  return { deps, calls };
}

it('charges once and settles on success', async () => {
  const charge = jest.fn(async () => ({ outcome: 'succeeded' as const, reference: 'ch_1' }));
  const { deps, calls } = world(PAYMENT, { charge });

  expect(await processPayment(deps, PAYMENT.paymentId, 1)).toEqual({ kind: 'done' });

  expect(charge).toHaveBeenCalledWith(
    expect.objectContaining({ paymentId: PAYMENT.paymentId, token: 'tok_visa' }),
  );
  expect(calls).toEqual(['startAttempt', 'settle:succeeded', 'notify:payment.succeeded']);
});

it('asks for the charge after a timeout and settles what happened, without charging again', async () => {
  const charge = jest.fn(async (): Promise<ChargeOutcome> => {
    throw new ProviderTimeoutError('the charge');
  });
  const chargeStatus = jest.fn(async () => ({ outcome: 'succeeded' as const, reference: 'ch_1' }));
  const { deps, calls } = world(PAYMENT, { charge, chargeStatus });

  expect(await processPayment(deps, PAYMENT.paymentId, 1)).toEqual({ kind: 'done' });
  expect(charge).toHaveBeenCalledTimes(1);
  expect(chargeStatus).toHaveBeenCalledTimes(1);
  expect(calls).toContain('settle:succeeded');
});

it('asks first on a later attempt (an earlier delivery may have charged)', async () => {
  const charge = jest.fn();
  const chargeStatus = jest.fn(async () => ({ outcome: 'declined' as const, reason: 'CARD_DECLINED' }));
  const { deps, calls } = world({ ...PAYMENT, status: 'PROCESSING', attempts: 1 }, { charge, chargeStatus });

  await processPayment(deps, PAYMENT.paymentId, 2);

  expect(charge).not.toHaveBeenCalled();
  expect(calls).toEqual(['settle:declined', 'notify:payment.failed']);
});

it('answers retry with a backoff and records the reason when the provider fails', async () => {
  const { deps, calls } = world(PAYMENT, {
    charge: async () => {
      throw new ProviderUnavailableError('HTTP 500');
    },
  });

  const outcome = await processPayment(deps, PAYMENT.paymentId, 3);

  expect(outcome).toMatchObject({ kind: 'retry', reason: 'PROVIDER_UNAVAILABLE' });
  expect((outcome as { delaySeconds: number }).delaySeconds).toBeLessThanOrEqual(8);
  expect(calls).toEqual(['startAttempt', 'failure:PROVIDER_UNAVAILABLE']);
});

it('defers without an attempt while the breaker is open', async () => {
  const { deps, calls } = world(PAYMENT, {}, true);

  const outcome = await processPayment(deps, PAYMENT.paymentId, 1);

  expect(outcome).toMatchObject({ kind: 'defer' });
  expect((outcome as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(3);
  expect(calls).toEqual([]);
});

it('does nothing for a settled payment (a redelivery)', async () => {
  const charge = jest.fn();
  const { deps, calls } = world({ ...PAYMENT, status: 'SUCCEEDED', attempts: 1 }, { charge });

  expect(await processPayment(deps, PAYMENT.paymentId, 2)).toEqual({ kind: 'done' });
  expect(charge).not.toHaveBeenCalled();
  expect(calls).toEqual([]);
});
