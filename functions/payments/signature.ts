/**
 * Webhook signatures: `X-Zepto-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (the
 * scheme Stripe uses for `Stripe-Signature`, so one verifier serves both). Verified over the raw bytes as
 * received, compared in constant time, and only within a tolerance of the sender's timestamp (a captured
 * request cannot be replayed later; a replay inside the window is caught by the event id).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export function signPayload(secret: string, rawBody: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export type SignatureCheck = 'valid' | 'malformed' | 'stale' | 'mismatch';

export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header || header.length > 1024) return 'malformed';
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return 'malformed';
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale';
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  // Every candidate is compared (in constant time each), so timing says nothing about which one matched.
  let matched = false;
  for (const candidate of candidates)
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  return matched ? 'valid' : 'mismatch';
}
