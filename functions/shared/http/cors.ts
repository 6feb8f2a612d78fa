/**
 * Request headers browsers may send cross-origin. The handlers' CORS middleware, the API's preflight and
 * API Gateway's own error answers (lib/app/gateway.ts) all allow exactly these.
 */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key'] as const;
