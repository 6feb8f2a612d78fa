import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  type IUserPool,
  type IUserPoolClient,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { UserPoolDef } from '../app/types';
import type { StageConfig } from '../config/stages';
import { UserPoolKeys } from '../constructs/user-pool-keys';

export interface AuthStackProps extends StackProps {
  /** Groups (roles) to create. */
  readonly definition: UserPoolDef;
  readonly auth: StageConfig['auth'];
  readonly removalPolicy: 'destroy' | 'retain';
  /** Retention of the log groups this stack creates. */
  readonly logRetention: RetentionDays;
}

const THREAT_PROTECTION: Record<StageConfig['auth']['threatProtection'], StandardThreatProtectionMode> = {
  off: StandardThreatProtectionMode.NO_ENFORCEMENT,
  audit: StandardThreatProtectionMode.AUDIT_ONLY,
  enforced: StandardThreatProtectionMode.FULL_FUNCTION,
};

/** Stateful: the Cognito user pool (users sign in with their e-mail), its app client and its groups (roles). */
export class AuthStack extends Stack {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Issuer of the pool's tokens and its public keys, for functions that check tokens themselves. */
  readonly callerTokens: { readonly issuer: string; readonly jwks: string };

  constructor(scope: Construct, id: string, props: AuthStackProps) {
    super(scope, id, props);
    const { auth } = props;
    const plus = auth.threatProtection !== 'off';

    const pool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: auth.mfa === 'optional' ? Mfa.OPTIONAL : Mfa.OFF,
      ...(auth.mfa === 'optional' ? { mfaSecondFactor: { otp: true, sms: false } } : {}),
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus ? { standardThreatProtectionMode: THREAT_PROTECTION[auth.threatProtection] } : {}),
      deletionProtection: auth.deletionProtection,
      removalPolicy: props.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // A public client (mobile and web apps cannot keep a secret). Access tokens from InitiateAuth carry the
    // scope `aws.cognito.signin.user.admin`, which the API authorizer requires.
    const client = pool.addClient('AppClient', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.days(30),
    });

    for (const group of props.definition.groups) {
      new CfnUserPoolGroup(this, `Group-${group.name}`, {
        userPoolId: pool.userPoolId,
        groupName: group.name,
        description: group.description,
        precedence: group.precedence,
      });
    }

    NagSuppressions.addResourceSuppressions(pool, [
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional (TOTP) by stage config: customers sign up in seconds and may enrol an authenticator',
      },
    ]);
    if (!plus) {
      NagSuppressions.addResourceSuppressions(pool, [
        {
          id: 'AwsSolutions-COG8',
          reason:
            'Threat protection (Plus plan, billed per MAU) is off on this stage by its config; staging/prod use Plus',
        },
      ]);
    }

    new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    this.userPool = pool;
    this.userPoolClient = client;
    const issuer = `https://cognito-idp.${this.region}.amazonaws.com/${pool.userPoolId}`;
    const keys = new UserPoolKeys(this, 'UserPoolKeys', {
      jwksUrl: `${issuer}/.well-known/jwks.json`,
      logRetention: props.logRetention,
    });
    this.callerTokens = { issuer, jwks: keys.jwks };
  }
}
