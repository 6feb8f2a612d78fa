/**
 * The `s3` and `stateMachine` triggers as CDK renders them (events fixture app, prod: customer-managed
 * keys, weak cross-stack references), and the state machine rules over the real app and the fixture.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { app as realApp } from '../../lib/app/app';
import { checkS3Triggers } from '../../lib/app/s3-triggers';
import { checkDefinition, checkStateMachines } from '../../lib/app/state-machines';
import type { AppDef, FunctionDef, StateMachineDef } from '../../lib/app/types';
import { eventsFixtureApp } from './fixtures/events-app';
import { nestedFunctionAttribute, ROOT, synth, type Synthesized } from './fixtures/synth';

const logicalId = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`Expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
};

describe('state machines and S3 triggers in CDK', () => {
  let s: Synthesized;
  let api: Template;
  beforeAll(() => {
    s = synth('prod', eventsFixtureApp);
    api = s.templates.api;
  });

  it('renders the machine from its ASL file with the declared timeout and one substitution per Task function', () => {
    const machine = Object.values(api.findResources('AWS::StepFunctions::StateMachine'));
    expect(machine).toHaveLength(1);
    const props = machine[0]!.Properties as {
      DefinitionString: string;
      DefinitionSubstitutions: Record<string, unknown>;
      StateMachineType: string;
    };
    const asl = JSON.parse(props.DefinitionString) as { StartAt: string; TimeoutSeconds: number };
    expect(asl.StartAt).toBe('Split');
    expect(asl.TimeoutSeconds).toBe(15 * 60);
    expect(props.StateMachineType).toBe('STANDARD');
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual([
      'CountPartArn',
      'RecordResultArn',
      'SplitFileArn',
    ]);
    expect(props.DefinitionSubstitutions.SplitFileArn).toEqual({
      'Fn::GetAtt': [logicalId(api, 'AWS::Lambda::Function', 'SplitFile'), 'Arn'],
    });
  });

  it('logs every transition to its own log group without execution data, and traces with X-Ray', () => {
    api.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [logicalId(api, 'AWS::Logs::LogGroup', 'PipelineLogs'), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it("lets the machine's own role invoke exactly its Task functions", () => {
    const role = logicalId(api, 'AWS::IAM::Role', 'PipelineRole');
    const policies = Object.values(api.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(role),
    );
    const invoke = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[])
      .filter((st) => JSON.stringify(st.Action).includes('lambda:'));
    expect(invoke).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: ['CountPart', 'RecordResult', 'SplitFile'].map((fn) => ({
          'Fn::GetAtt': [logicalId(api, 'AWS::Lambda::Function', fn), 'Arn'],
        })),
      },
    ]);
    api.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' } })],
      },
    });
  });

  it('gives a function that starts the machine its ARN and states:StartExecution on it only', () => {
    const machine = logicalId(api, 'AWS::StepFunctions::StateMachine', 'Pipeline');
    api.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Starts the pipeline for a dropped file',
      Environment: { Variables: Match.objectLike({ PIPELINE_STATE_MACHINE_ARN: { Ref: machine } }) },
    });
    const statements = Object.values(api.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const states = statements.filter((st) => JSON.stringify(st.Action).includes('states:'));
    expect(states).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machine } },
    ]);
    const taskEnv = Object.values(api.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Description === 'Splits a file into parts',
    )[0]!.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(taskEnv).filter((k) => k.endsWith('_STATE_MACHINE_ARN'))).toEqual([]);
  });

  it('notifies each S3-triggered function of ObjectCreated under its prefix and suffix, from the api stack', () => {
    const onDrop = logicalId(api, 'AWS::Lambda::Function', 'OnDrop');
    api.resourceCountIs('Custom::S3BucketNotifications', 1);
    api.hasResourceProperties('Custom::S3BucketNotifications', {
      Managed: false,
      BucketName: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'zepto-prod-data' }) },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayWith([
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'suffix', Value: '.csv' },
                  { Name: 'prefix', Value: 'drops/' },
                ],
              },
            },
            LambdaFunctionArn: nestedFunctionAttribute('OnDrop', 'Arn'),
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'archive/' }] } },
            LambdaFunctionArn: nestedFunctionAttribute('OnArchive', 'Arn'),
          },
        ]),
      },
    });
    api.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: nestedFunctionAttribute('OnDrop', 'Arn'),
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'zepto-prod-data' }) },
    });
    api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: onDrop },
      MaximumRetryAttempts: 2,
    });
  });

  it('keeps the data stack free of any reference to a function (no cycle between the stacks)', () => {
    const data = JSON.stringify(s.templates.data.toJSON());
    expect(data).not.toMatch(/OnDrop|OnArchive|BucketNotifications|zepto-prod-api/);
  });

  it('lets an S3-triggered function read the objects under its prefix, with the bucket key', () => {
    const role = logicalId(api, 'AWS::IAM::Role', 'OnDropRole');
    const statements = Object.values(api.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[]);
    const s3 = statements.filter((st) => JSON.stringify(st.Action).includes('s3:'));
    expect(s3).toHaveLength(1);
    expect(s3[0]!.Action).toEqual(['s3:GetBucket*', 's3:GetObject*', 's3:List*']);
    expect(JSON.stringify(s3[0]!.Resource)).toContain('"/drops/*"');
    expect(JSON.stringify(s3[0]!.Resource)).not.toContain('"/*"');
    expect(statements.some((st) => JSON.stringify(st.Action).includes('kms:Decrypt'))).toBe(true);
    expect(statements.some((st) => JSON.stringify(st.Action).includes('s3:Put'))).toBe(false);
  });

  it('alarms on failed, timed-out and aborted executions and on failed S3 invocations, to the alarm topic', () => {
    const obs = s.templates.observability;
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])
      obs.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'StateMachineArn', Value: Match.anyValue() }],
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
      });
    obs.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      AlarmDescription: Match.stringLikeRegexp('^OnDrop \\(S3 notifications of Imports\\)'),
    });
  });

  it('refuses at synth an app whose ASL names a function that is not one of its Tasks', () => {
    const broken: AppDef = {
      ...eventsFixtureApp,
      functions: eventsFixtureApp.functions.filter((fn) => fn.name !== 'CountPart'),
    };
    expect(() => synth('dev', broken)).toThrow(/names CountPart, which is not a function/);
  });
});

describe.each([
  ['the real app', realApp],
  ['the events fixture app', eventsFixtureApp],
] as [string, AppDef][])('state machines of %s', (_label, definition) => {
  it('have valid JSON ASL whose every placeholder names one of its Task functions, each referenced', () => {
    expect(checkStateMachines(definition, ROOT).errors).toEqual([]);
  });

  it('have s3 triggers on known buckets that never overlap', () => {
    expect(checkS3Triggers(definition)).toEqual([]);
  });
});

describe('the state machine rules', () => {
  const def: StateMachineDef = { name: 'M', description: 'm', definitionFile: 'm.asl.json' };
  const task = (name: string, machine = 'M'): FunctionDef => ({
    name,
    service: 's',
    entry: 'e.ts',
    description: name,
    trigger: { kind: 'stateMachine', machine },
  });
  const check = (asl: unknown, functions: FunctionDef[] = [task('A')]) =>
    checkDefinition(def, typeof asl === 'string' ? asl : JSON.stringify(asl), { functions }).errors;
  const ok = { StartAt: 'One', States: { One: { Type: 'Task', Resource: '${AArn}', End: true } } };

  it('accepts a machine whose one Task names its one function', () => {
    expect(check(ok)).toEqual([]);
  });

  it.each([
    ['not JSON', '{"StartAt":', /not JSON/],
    ['a StartAt naming no state', { ...ok, StartAt: 'Two' }, /StartAt names no state/],
    [
      'a Next naming no state',
      { StartAt: 'One', States: { One: { Type: 'Task', Resource: '${AArn}', Next: 'Gone' } } },
      /One.Next names no state/,
    ],
    [
      'a state with neither Next nor End',
      { StartAt: 'One', States: { One: { Type: 'Task', Resource: '${AArn}' } } },
      /neither Next nor End/,
    ],
    [
      'a Task with a literal ARN',
      {
        StartAt: 'One',
        States: { One: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } },
      },
      /must have "Resource"/,
    ],
    [
      'a placeholder of another function',
      { StartAt: 'One', States: { One: { Type: 'Task', Resource: '${BArn}', End: true } } },
      /names B, which is not a function/,
    ],
    [
      'a stray placeholder in Parameters',
      {
        StartAt: 'One',
        States: { One: { Type: 'Task', Resource: '${AArn}', Parameters: { t: '${TableName}' }, End: true } },
      },
      /\$\{TableName\} is not the ARN/,
    ],
    ['JSONata', { ...ok, QueryLanguage: 'JSONata' }, /JSONPath/],
    [
      'a Catch naming no state inside a Map',
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'One',
              States: {
                One: {
                  Type: 'Task',
                  Resource: '${AArn}',
                  Catch: [{ ErrorEquals: ['X'], Next: 'Nope' }],
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      /Catch\[0\].Next names no state of Map Each/,
    ],
  ])('refuses %s', (_name, asl, message) => {
    expect(check(asl)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('refuses a Task function that no Task state names', () => {
    expect(check(ok, [task('A'), task('B')])).toEqual([
      expect.stringMatching(/B is a Task of M but no Task/),
    ]);
  });

  it('refuses a function that is a Task of a machine and starts it, and unknown machines', () => {
    const { errors } = checkStateMachines(
      {
        functions: [
          { ...task('A'), stateMachines: { M: 'start' } },
          task('C', 'Nope'),
          {
            ...task('D'),
            trigger: { kind: 'schedule', expression: 'rate(1 hour)', description: 'd' },
            stateMachines: { Gone: 'start' },
          },
        ],
        stateMachines: [{ ...def, definitionFile: 'test/infra/fixtures/pipeline.asl.json' }],
      },
      ROOT,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        'A cannot both be a Task of M and start it',
        'C is a Task of an unknown state machine Nope',
        'D starts an unknown state machine Gone',
      ]),
    );
  });

  it('refuses overlapping s3 triggers on one bucket', () => {
    const s3 = (name: string, prefix?: string, suffix?: string): FunctionDef => ({
      ...task(name),
      trigger: { kind: 's3', bucket: 'B', prefix, suffix },
    });
    const buckets = [{ name: 'B', description: 'b' }];
    expect(checkS3Triggers({ buckets, functions: [s3('X', 'a/'), s3('Y', 'b/')] })).toEqual([]);
    expect(checkS3Triggers({ buckets, functions: [s3('X', 'a/', '.csv'), s3('Y', 'a/', '.json')] })).toEqual(
      [],
    );
    expect(checkS3Triggers({ buckets, functions: [s3('X', 'a/'), s3('Y', 'a/b/')] })).toHaveLength(1);
    expect(checkS3Triggers({ buckets, functions: [s3('X', 'a/'), s3('Y', 'a/b/')] })).toHaveLength(1);
    expect(checkS3Triggers({ buckets: [], functions: [s3('X')] })).toEqual([
      'X has an s3 trigger on an unknown bucket B',
    ]);
  });
});
