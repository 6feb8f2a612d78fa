/**
 * Reading Cognito JWTs that Cognito itself just handed us (or that API Gateway already verified): only
 * the payload is decoded, the signature is not checked here.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Seconds until the token expires, from its `exp` claim; `fallback` when it has none. */
export function secondsUntilExpiry(token: string, now: Date, fallback = 3600): number {
  const exp = decodeJwtPayload(token).exp;
  if (typeof exp !== 'number') return fallback;
  return Math.max(0, Math.floor(exp - now.getTime() / 1000));
}

/** The token of an `Authorization` header: `Bearer <jwt>` or the bare JWT (as API Gateway's authorizer accepts). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:Bearer\s+)?([\w-]+\.[\w-]+\.[\w-]+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
