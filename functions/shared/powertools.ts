import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// Module singletons: one per execution environment, configured by POWERTOOLS_* variables.
export const logger = new Logger();
// `stage` on every metric, so two stages sharing an account and region never mix their alarms.
export const metrics = new Metrics({
  defaultDimensions: process.env.STAGE ? { stage: process.env.STAGE } : {},
});
export const tracer = new Tracer();
