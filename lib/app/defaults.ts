/**
 * How every function is built and run, where CDK (lib/constructs/service-function.ts) and the local
 * platform (local/runtime) must agree. Plain values, so the local platform can import them without
 * loading aws-cdk-lib.
 */

/** For a function whose definition sets no `memoryMb`. */
export const DEFAULT_MEMORY_MB = 512;
/** For a function whose definition sets no `timeoutSeconds` (API Gateway gives up after 29 s anyway). */
export const DEFAULT_TIMEOUT_SECONDS = 10;
