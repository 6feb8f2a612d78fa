import { deferralSeconds, retryDelaySeconds } from '../../../functions/payments/domain';
import { signPayload, verifySignature } from '../../../functions/payments/signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt_1","type":"charge.succeeded"}';
  const now = 1_800_000_000;

  it('accepts the signature of the raw body within the tolerance', () => {
    expect(verifySignature(signPayload(secret, body, now - 299), body, secret, now)).toBe('valid');
  });
  it('refuses another secret, another body, a stale or future timestamp, and malformed headers', () => {
    expect(verifySignature(signPayload('other', body, now), body, secret, now)).toBe('mismatch');
    expect(verifySignature(signPayload(secret, body, now), `${body} `, secret, now)).toBe('mismatch');
    expect(verifySignature(signPayload(secret, body, now - 301), body, secret, now)).toBe('stale');
    expect(verifySignature(signPayload(secret, body, now + 301), body, secret, now)).toBe('stale');
    for (const header of [
      undefined,
      '',
      't=abc,v1=00',
      `v1=${'a'.repeat(64)}`,
      `t=${now}`,
      `t=${now},v1=xyz`,
      'x'.repeat(2000),
    ])
      expect(verifySignature(header, body, secret, now)).toBe('malformed');
  });
  it('accepts any one of several v1 signatures (secret rotation)', () => {
    const good = signPayload(secret, body, now).split(',')[1];
    expect(verifySignature(`t=${now},v1=${'0'.repeat(64)},${good}`, body, secret, now)).toBe('valid');
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter, capped, never below a second', () => {
    expect(retryDelaySeconds(1, 2, () => 1)).toBe(2);
    expect(retryDelaySeconds(4, 2, () => 1)).toBe(16);
    expect(retryDelaySeconds(20, 2, () => 1)).toBe(300);
    expect(retryDelaySeconds(3, 2, () => 0)).toBe(1);
    expect(retryDelaySeconds(3, 2, () => 0.5)).toBe(4);
  });
  it('defers until the breaker half-opens, within SQS limits', () => {
    expect(deferralSeconds(4_200, () => 0)).toBe(5);
    expect(deferralSeconds(0, () => 0)).toBe(1);
    expect(deferralSeconds(10_000_000, () => 1)).toBe(900);
  });
});
