// Handlers log and emit metrics to stdout; tests read responses, not logs.
// ZEPTO_TEST_LOG_LEVEL=DEBUG shows them.
process.env.POWERTOOLS_LOG_LEVEL = process.env.ZEPTO_TEST_LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'Zepto';
process.env.POWERTOOLS_SERVICE_NAME ??= 'test';
