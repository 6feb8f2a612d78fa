import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

// Module singletons: one per execution environment, configured by POWERTOOLS_* variables. The tracer is
// not here: it is loaded only when a request is traced (tracing.ts).
export const logger = new Logger();
// `stage` on every metric, so two stages sharing an account and region never mix their alarms.
export const metrics = new Metrics({
  defaultDimensions: process.env.STAGE ? { stage: process.env.STAGE } : {},
});
