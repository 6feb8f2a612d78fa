import { Match } from 'aws-cdk-lib/assertions';
import { ROLES } from '../../functions/shared/http/route';
import { synth, type Synthesized } from './fixtures/synth';

describe('AuthStack', () => {
  let local: Synthesized;
  let dev: Synthesized;
  let prod: Synthesized;
  beforeAll(() => {
    local = synth('local');
    dev = synth('dev');
    prod = synth('prod');
  });

  it('lets people sign themselves up and sign in with their e-mail', () => {
    prod.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('requires passwords of 12+ characters with every character class', () => {
    prod.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('offers optional TOTP MFA, and none locally', () => {
    prod.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    local.templates.auth.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF' });
  });

  it('protects the prod user pool from deletion, with enforced threat protection', () => {
    prod.templates.auth.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtection: 'ACTIVE',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      }),
    });
  });

  it('leaves the dev user pool deletable, on the Essentials plan', () => {
    dev.templates.auth.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE', UserPoolTier: 'ESSENTIALS' }),
    });
  });

  it('has one public app client: no secret, password + SRP + refresh flows, revocable tokens, 60-minute access tokens', () => {
    prod.templates.auth.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    prod.templates.auth.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 60,
      TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes' }),
      AllowedOAuthFlowsUserPoolClient: false,
    });
  });

  it('creates one group per role', () => {
    prod.templates.auth.resourceCountIs('AWS::Cognito::UserPoolGroup', ROLES.length);
    for (const role of ROLES) {
      prod.templates.auth.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: role,
        Precedence: Match.anyValue(),
        UserPoolId: { Ref: Match.stringLikeRegexp('^UserPool') },
      });
    }
  });
});
