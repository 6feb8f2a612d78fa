import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ESM_REQUIRE_BANNER } from '../../lib/app/bundling';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { bundle } from '../../local/runtime/bundle';
import { ROOT, testApp } from './fixtures/synth';

describe('ServiceFunction', () => {
  let template: Template;
  let bundleDir: string;

  beforeAll(() => {
    // Real local esbuild bundling (no Docker), once for the file.
    const app = testApp({ bundling: true });
    const stack = new Stack(app, 'FnTest', { env: { region: 'ap-south-1' } });
    new ServiceFunction(stack, 'Fn', {
      entry: 'test/infra/fixtures/handler.ts',
      description: 'fixture',
      environment: { POWERTOOLS_SERVICE_NAME: 'fixture' },
      logRetention: RetentionDays.ONE_WEEK,
    });
    template = Template.fromStack(stack);
    const assembly = app.synth();
    const code = template.findResources('AWS::Lambda::Function');
    const [fn] = Object.values(code) as { Metadata: Record<string, string> }[];
    bundleDir = path.join(assembly.directory, fn!.Metadata['aws:asset:path']!);
  }, 60_000);

  it('runs Node.js 22 on arm64 with active tracing and JSON logs at the given level', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 10,
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: Match.anyValue(),
      }),
      Environment: {
        Variables: { POWERTOOLS_SERVICE_NAME: 'fixture' },
      },
    });
  });

  it('writes to its own log group with the given retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('gets a role with no managed policies, allowed only to write its logs and traces', () => {
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          },
          { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });

  it('bundles minified ESM with a source map and the createRequire banner', () => {
    const file = path.join(bundleDir, 'index.mjs');
    expect(existsSync(file)).toBe(true);
    expect(existsSync(`${file}.map`)).toBe(true);
    expect(readFileSync(file, 'utf8').startsWith(ESM_REQUIRE_BANNER)).toBe(true);
  });

  it('ships the very artefact the local runtime and the benchmarks build', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'zepto-same-artefact-'));
    try {
      const { files } = await bundle([{ name: 'Fn', entry: 'test/infra/fixtures/handler.ts' }], { outDir });
      expect(readFileSync(path.join(bundleDir, 'index.mjs'), 'utf8')).toBe(
        readFileSync(files.get('Fn')!, 'utf8'),
      );
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  it('produces a bundle Node can import and whose handler answers (ESM-only deps included)', () => {
    const script = `import(${JSON.stringify(path.join(bundleDir, 'index.mjs'))}).then((m) => m.handler()).then((r) => process.stdout.write(JSON.stringify(r)))`;
    const output = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    const response = JSON.parse(output) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ alg: 'HS256' });
  });
});

describe('ServiceFunction bindings', () => {
  type Statement = { Action: string | string[]; Resource: unknown };
  const build = (
    bind: (fn: ServiceFunction, r: { table: Table; bucket: Bucket; pool: UserPool }) => void,
  ): Statement[] => {
    const app = testApp();
    const stack = new Stack(app, 'Bindings', { env: { region: 'ap-south-1' } });
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'g', type: AttributeType.STRING },
    });
    const bucket = new Bucket(stack, 'Bucket');
    const pool = new UserPool(stack, 'Pool');
    const fn = new ServiceFunction(stack, 'Fn', {
      entry: 'test/infra/fixtures/handler.ts',
      description: 'fixture',
      environment: {},
      logRetention: RetentionDays.ONE_WEEK,
    });
    bind(fn, { table, bucket, pool });
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0] as {
      Properties: { PolicyDocument: { Statement: Statement[] } };
    };
    return policy.Properties.PolicyDocument.Statement;
  };
  const actions = (statements: Statement[]): string[] => statements.flatMap((s) => [s.Action].flat());

  it('grants read on a table and its indexes, and nothing that writes', () => {
    const statements = build((fn, { table }) => fn.bindTable(table, 'read'));
    expect(actions(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(
      actions(statements).filter((a) => a.startsWith('dynamodb:') && /Put|Update|Delete|Write/.test(a)),
    ).toEqual([]);
    expect(JSON.stringify(statements)).toContain('/index/*');
  });

  it('grants write on a table and nothing that reads', () => {
    const statements = build((fn, { table }) => fn.bindTable(table, 'write'));
    expect(actions(statements)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions(statements).filter((a) => /Get|Query|Scan/.test(a) && a.startsWith('dynamodb:'))).toEqual(
      [],
    );
  });

  it('grants put on a bucket without read, list or delete', () => {
    const statements = build((fn, { bucket }) => fn.bindBucket(bucket, 'put'));
    const s3 = actions(statements).filter((a) => a.startsWith('s3:'));
    expect(s3).toContain('s3:PutObject');
    expect(s3.filter((a) => /^s3:(Get|List|Delete)/.test(a))).toEqual([]);
  });

  it('grants exactly the declared user pool actions, and none when the list is empty', () => {
    const some = build((fn, { pool }) => fn.bindUserPool(pool, ['AdminGetUser']));
    expect(actions(some).filter((a) => a.startsWith('cognito-idp:'))).toEqual(['cognito-idp:AdminGetUser']);
    const none = build((fn, { pool }) => expect(fn.bindUserPool(pool, [])).toBeUndefined());
    expect(actions(none).filter((a) => a.startsWith('cognito-idp:'))).toEqual([]);
  });
});
