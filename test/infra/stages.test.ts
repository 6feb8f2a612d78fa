import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getStageConfig, STAGE_NAMES } from '../../lib/config/stages';
import { ROOT } from './fixtures/synth';

describe('stage configuration', () => {
  it('rejects an unknown stage with one line naming the valid ones', () => {
    expect(() => getStageConfig('qa')).toThrow(
      new Error('Unknown stage "qa": expected one of local, dev, staging, prod'),
    );
  });

  it.each(STAGE_NAMES)('places %s in ap-south-1, account-agnostic unless told', (name) => {
    const config = getStageConfig(name);
    expect(config.name).toBe(name);
    expect(config.env).toEqual({ region: 'ap-south-1' });
  });

  it('keeps production data: retained, PITR, termination and deletion protection', () => {
    const prod = getStageConfig('prod');
    expect(prod.data).toMatchObject({
      removalPolicy: 'retain',
      pointInTimeRecovery: true,
      terminationProtection: true,
      tableDeletionProtection: true,
    });
    expect(prod.auth).toMatchObject({ deletionProtection: true, autoConfirmSignUp: false, mfa: 'optional' });
  });

  it('confirms sign-ups at once only on local and dev, and turns MFA off only locally', () => {
    const auto = STAGE_NAMES.filter((s) => getStageConfig(s).auth.autoConfirmSignUp);
    expect(auto).toEqual(['local', 'dev']);
    const mfaOff = STAGE_NAMES.filter((s) => getStageConfig(s).auth.mfa === 'off');
    expect(mfaOff).toEqual(['local']);
  });

  it('makes the CDK entry point fail with that one line for an unknown stage', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'zepto-cdk-'));
    let stderr = '';
    let status: number | null = 0;
    try {
      execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['bin/zepto.ts'], {
        cwd: ROOT,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'qa' }), CDK_OUTDIR: outdir },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      const e = error as { status: number | null; stderr: string };
      status = e.status;
      stderr = e.stderr;
    }
    expect(status).toBe(1);
    expect(stderr.trim()).toBe('Unknown stage "qa": expected one of local, dev, staging, prod');
  }, 30_000);
});
