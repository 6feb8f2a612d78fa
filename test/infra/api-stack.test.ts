import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ACCESS_TOKEN_SCOPE } from '../../lib/app/gateway';
import { fixtureApp } from './fixtures/app';
import { renderedMethods } from './fixtures/api-routes';
import { synth, type Synthesized } from './fixtures/synth';

type Statement = { Action: string | string[]; Resource: unknown };

/** The IAM statements attached to the role of the function with this logical name. */
function statementsOf(template: Template, fnName: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(`${fnName}RoleDefaultPolicy`));
  if (!entry) throw new Error(`No policy for ${fnName}`);
  return (entry[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
}
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => [s.Action].flat());

describe('ApiStack', () => {
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    dev = synth('dev');
    prod = synth('prod');
  });

  describe('functions', () => {
    it('renders one function per HTTP route', () => {
      prod.templates.api.resourceCountIs('AWS::Lambda::Function', fixtureApp.functions.length);
      expect(Object.keys(prod.api.functions).sort()).toEqual(fixtureApp.functions.map((f) => f.name).sort());
    });

    it('runs every function on Node.js 22, arm64, with X-Ray active tracing and JSON logs', () => {
      prod.templates.api.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.anyValue() } }),
      });
    });

    it('keeps function logs for the stage retention', () => {
      prod.templates.api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
      dev.templates.api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 14 });
    });

    it('honours memory and timeout declared by a function', () => {
      prod.templates.api.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Reads a product',
        MemorySize: 1024,
        Timeout: 5,
      });
    });

    it('gives a function the variables of the resources it declared, and no others', () => {
      const fns = prod.templates.api.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'Reads a product' },
      });
      const [fn] = Object.values(fns) as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }[];
      expect(Object.keys(fn!.Properties.Environment.Variables).sort()).toEqual(
        [
          'CATALOG_TABLE_NAME',
          'POWERTOOLS_LOG_LEVEL',
          'POWERTOOLS_METRICS_NAMESPACE',
          'POWERTOOLS_SERVICE_NAME',
          'PRODUCT_IMAGES_BUCKET_NAME',
          'STAGE',
        ].sort(),
      );
      prod.templates.api.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Registers a customer',
        Environment: {
          Variables: Match.objectLike({
            USERS_TABLE_NAME: Match.anyValue(),
            USER_POOL_ID: Match.anyValue(),
            USER_POOL_CLIENT_ID: Match.anyValue(),
            AUTO_CONFIRM_SIGN_UP: 'false',
          }),
        },
      });
      dev.templates.api.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Registers a customer',
        Environment: {
          Variables: Match.objectLike({ AUTO_CONFIRM_SIGN_UP: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG' }),
        },
      });
    });
  });

  describe('least privilege', () => {
    const writes = [
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
    ];

    it('gives a function that reads a table no write action, but its indexes', () => {
      const statements = statementsOf(prod.templates.api, 'GetProduct');
      const actions = actionsOf(statements);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      for (const write of writes) expect(actions).not.toContain(write);
      expect(JSON.stringify(statements)).toContain('/index/*');
    });

    it('gives a function that writes a table no read action', () => {
      const actions = actionsOf(statementsOf(prod.templates.api, 'Register'));
      expect(actions).toEqual(expect.arrayContaining(writes));
      for (const read of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'])
        expect(actions).not.toContain(read);
    });

    it('gives a function that puts into a bucket no read or delete action on it', () => {
      const actions = actionsOf(statementsOf(prod.templates.api, 'AdminPutProduct'));
      expect(actions).toContain('s3:PutObject');
      expect(
        actions.filter((a) => a.startsWith('s3:Get') || a.startsWith('s3:List') || a.startsWith('s3:Delete')),
      ).toEqual([]);
    });

    it('gives cognito-idp actions only to functions that declare them, exactly those', () => {
      const register = actionsOf(statementsOf(prod.templates.api, 'Register')).filter((a) =>
        a.startsWith('cognito-idp:'),
      );
      expect(register.sort()).toEqual(['cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminConfirmSignUp']);
      for (const fn of ['GetProduct', 'AdminPutProduct']) {
        expect(
          actionsOf(statementsOf(prod.templates.api, fn)).filter((a) => a.startsWith('cognito-idp:')),
        ).toEqual([]);
      }
    });

    it('attaches no managed policy to function roles', () => {
      const roles = prod.templates.api.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
          },
        },
      });
      expect(Object.keys(roles)).toHaveLength(fixtureApp.functions.length);
      for (const role of Object.values(roles) as { Properties: Record<string, unknown> }[]) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });
  });

  describe('REST API', () => {
    it('has one Cognito user pool authorizer', () => {
      prod.templates.api.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
      prod.templates.api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
      });
    });

    it('requires an access token (the Cognito scope) on protected routes and nothing on public ones', () => {
      const methods = renderedMethods(prod.templates.api);
      expect(methods.get('GET /v1/products/{productId}')).toEqual({
        authorizationType: 'COGNITO_USER_POOLS',
        authorizationScopes: [ACCESS_TOKEN_SCOPE],
        authorizerId: { Ref: expect.stringMatching(/^Authorizer/) },
      });
      expect(methods.get('PUT /v1/admin/products/{productId}')?.authorizationScopes).toEqual([
        ACCESS_TOKEN_SCOPE,
      ]);
      expect(methods.get('POST /v1/auth/register')).toEqual({
        authorizationType: 'NONE',
        authorizationScopes: undefined,
        authorizerId: undefined,
      });
    });

    it('throttles the stage from the stage config, and public routes harder', () => {
      prod.templates.api.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        TracingEnabled: true,
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 1000,
            ThrottlingBurstLimit: 2000,
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
          }),
          Match.objectLike({
            HttpMethod: 'POST',
            ResourcePath: '/~1v1~1auth~1register',
            ThrottlingRateLimit: 50,
            ThrottlingBurstLimit: 100,
          }),
        ]),
      });
    });

    it('writes JSON access logs to a log group', () => {
      const stage = Object.values(prod.templates.api.findResources('AWS::ApiGateway::Stage'))[0] as {
        Properties: { AccessLogSetting: { DestinationArn: unknown; Format: string } };
      };
      expect(JSON.stringify(stage.Properties.AccessLogSetting.DestinationArn)).toContain('AccessLogs');
      const format = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
      expect(format).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
        ip: '$context.identity.sourceIp',
      });
    });

    it('sends execution logs through the account CloudWatch role', () => {
      prod.templates.api.resourceCountIs('AWS::ApiGateway::Account', 1);
    });

    it('answers gateway errors as problem+json with CORS headers', () => {
      for (const type of [
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'UNAUTHORIZED',
        'THROTTLED',
        'MISSING_AUTHENTICATION_TOKEN',
      ]) {
        prod.templates.api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
          ResponseType: type,
          ResponseParameters: Match.objectLike({
            'gatewayresponse.header.Content-Type': "'application/problem+json'",
            'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          }),
          ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"type":"about:blank"') },
        });
      }
      prod.templates.api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
        StatusCode: '404',
      });
    });

    it('answers CORS preflight on every route resource', () => {
      const preflights = prod.templates.api.findResources('AWS::ApiGateway::Method', {
        Properties: { HttpMethod: 'OPTIONS' },
      });
      expect(Object.keys(preflights).length).toBeGreaterThanOrEqual(fixtureApp.functions.length);
    });
  });

  describe('WAF', () => {
    it('puts a regional web ACL with a per-IP rate rule and AWS managed rule sets in front of the stage', () => {
      prod.templates.api.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: [
          Match.objectLike({
            Name: 'RateLimitPerIp',
            Action: { Block: {} },
            Statement: {
              RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 },
            },
          }),
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: {
                VendorName: 'AWS',
                Name: 'AWSManagedRulesCommonRuleSet',
                // The API's own body limit (64 KB, 413) applies instead of the rule set's 8 KB block.
                RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
              },
            },
          }),
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
            },
          }),
        ],
      });
    });

    it('associates the web ACL with the API stage', () => {
      prod.templates.api.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      const [association] = Object.values(
        prod.templates.api.findResources('AWS::WAFv2::WebACLAssociation'),
      ) as {
        Properties: { ResourceArn: unknown; WebACLArn: unknown };
      }[];
      const arn = JSON.stringify(association!.Properties.ResourceArn);
      expect(arn).toContain('/stages/');
      expect(arn).toMatch(/"Ref":"ApiDeploymentStage/);
      expect(association!.Properties.WebACLArn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^FirewallWebAcl/), 'Arn'],
      });
    });
  });
});
