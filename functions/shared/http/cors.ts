/**
 * Request headers browsers may send cross-origin. The handlers' CORS middleware, the API's preflight and
 * API Gateway's own error answers (lib/app/gateway.ts) all allow exactly these.
 */
export const CORS_ALLOW_HEADERS = ['Content-Type', 'Authorization', 'Idempotency-Key'] as const;

/**
 * Response headers a cross-origin page may read beyond the CORS-safelisted ones: where a created resource
 * is, the gateway's request id (for support), and that a search answer is degraded.
 */
export const CORS_EXPOSE_HEADERS = ['Location', 'x-amzn-RequestId', 'Zepto-Search-Degraded'] as const;
