import { Aspects, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { app as realApp } from '../../lib/app/app';
import type { AppDef } from '../../lib/app/types';
import { getStageConfig, STAGE_NAMES, type StageName } from '../../lib/config/stages';
import { buildZepto } from '../../lib/stacks/zepto';
import { fixtureApp } from './fixtures/app';
import { eventsFixtureApp } from './fixtures/events-app';
import { paymentsFixtureApp } from './fixtures/payments-app';
import { nagFindingsOf, testApp, type NagFinding } from './fixtures/synth';

/** With this flag on (as in cdk.json), error annotations fail synthesis; off, tests can list them. */
const INSPECT = { context: { '@aws-cdk/core:annotationsInValidationReport': false } };

/** Every unsuppressed cdk-nag error and warning of the stacks of one stage. */
function nagFindings(stage: StageName, definition: AppDef): { errors: NagFinding[]; warnings: NagFinding[] } {
  const app = testApp(INSPECT);
  const zepto = buildZepto(app, { config: getStageConfig(stage), definition, nagReports: false });
  return nagFindingsOf(app, [
    zepto.data,
    zepto.auth,
    ...(zepto.cache ? [zepto.cache] : []),
    ...(zepto.search ? [zepto.search] : []),
    zepto.api,
    zepto.observability,
  ]);
}

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it.each(STAGE_NAMES)('leaves no unsuppressed error or warning on %s (fixture app)', (stage) => {
    const { errors, warnings } = nagFindings(stage, fixtureApp);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each(STAGE_NAMES)('leaves no unsuppressed error or warning on %s with the payments service', (stage) => {
    const { errors, warnings } = nagFindings(stage, paymentsFixtureApp);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each(STAGE_NAMES)(
    'leaves no unsuppressed error or warning on %s with S3 triggers and a state machine (events fixture app)',
    (stage) => {
      const { errors, warnings } = nagFindings(stage, eventsFixtureApp);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    },
  );

  it.each(['dev', 'prod'] as const)(
    'leaves no unsuppressed error or warning on %s for the real app definition',
    (stage) => {
      const { errors, warnings } = nagFindings(stage, realApp);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    },
  );

  it('reports a finding that is not suppressed (the check can fail)', () => {
    // A bucket without access logs and without a suppression must be reported.
    const { errors } = nagFindingsOfUnsafeBucket();
    expect(errors.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^AwsSolutions-S1:/)]),
    );
  });
});

function nagFindingsOfUnsafeBucket(): { errors: NagFinding[] } {
  const app = testApp(INSPECT);
  const stack = new Stack(app, 'Unsafe');
  new Bucket(stack, 'Bucket', { enforceSSL: true });
  Aspects.of(app).add(new AwsSolutionsChecks({ reports: false }));
  return nagFindingsOf(app, [stack]);
}
