/** The IdentityProvider port over the Cognito user pool API (AWS SDK v3). Works against cognito-local too. */
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderServiceException,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { IdentityProviderError, type IdentityProvider, type ProviderUser, type Tokens } from '../ports';

export interface CognitoSettings {
  readonly client: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  /** App client without a secret, with USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH enabled. */
  readonly clientId: string;
}

export function cognitoIdentityProvider({ client, userPoolId, clientId }: CognitoSettings): IdentityProvider {
  return {
    async signUp({ email, password, name, phone }) {
      const out = await call(() =>
        client.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: email,
            Password: password,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'name', Value: name },
              ...(phone ? [{ Name: 'phone_number', Value: phone }] : []),
            ],
          }),
        ),
      );
      return {
        userId: required(out.UserSub, 'SignUp returned no UserSub'),
        confirmed: out.UserConfirmed === true,
      };
    },

    async confirmSignUp(email, code) {
      await call(() =>
        client.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }),
        ),
      );
    },

    async resendConfirmationCode(email) {
      await call(() =>
        client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })),
      );
    },

    async forgotPassword(email) {
      await call(() => client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email })));
    },

    async confirmForgotPassword(email, code, newPassword) {
      await call(() =>
        client.send(
          new ConfirmForgotPasswordCommand({
            ClientId: clientId,
            Username: email,
            ConfirmationCode: code,
            Password: newPassword,
          }),
        ),
      );
    },

    async adminConfirmSignUp(username) {
      await call(() =>
        client.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username })),
      );
    },

    async getUser(usernameOrEmail): Promise<ProviderUser | undefined> {
      try {
        const out = await call(() =>
          client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: usernameOrEmail })),
        );
        const attributes = attributeRecord(out.UserAttributes);
        const username = required(out.Username, 'AdminGetUser returned no Username');
        return {
          username,
          userId: attributes.sub ?? username,
          status: out.UserStatus ?? 'UNKNOWN',
          attributes,
        };
      } catch (error) {
        if (error instanceof IdentityProviderError && error.code === 'UserNotFoundException')
          return undefined;
        throw error;
      }
    },

    async listGroups(username) {
      // Pass the Cognito username, not the email: cognito-local matches group members on the raw value.
      const groups: string[] = [];
      let nextToken: string | undefined;
      do {
        const out = await call(() =>
          client.send(
            new AdminListGroupsForUserCommand({
              UserPoolId: userPoolId,
              Username: username,
              Limit: 60,
              NextToken: nextToken,
            }),
          ),
        );
        for (const g of out.Groups ?? []) if (g.GroupName) groups.push(g.GroupName);
        nextToken = out.NextToken;
      } while (nextToken);
      return groups;
    },

    async addToGroup(username, group) {
      await call(() =>
        client.send(
          new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }),
        ),
      );
    },

    async removeFromGroup(username, group) {
      await call(() =>
        client.send(
          new AdminRemoveUserFromGroupCommand({
            UserPoolId: userPoolId,
            Username: username,
            GroupName: group,
          }),
        ),
      );
    },

    async setPermanentPassword(username, password) {
      await call(() =>
        client.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: userPoolId,
            Username: username,
            Password: password,
            Permanent: true,
          }),
        ),
      );
    },

    async passwordSignIn(email, password) {
      const out = await call(() =>
        client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: password },
          }),
        ),
      );
      if (out.ChallengeName) return { kind: 'challenge', challenge: out.ChallengeName };
      const tokens = toTokens(out.AuthenticationResult);
      return {
        kind: 'tokens',
        tokens: {
          ...tokens,
          refreshToken: required(tokens.refreshToken, 'InitiateAuth returned no RefreshToken'),
        },
      };
    },

    async refresh(refreshToken) {
      const out = await call(() =>
        client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken },
          }),
        ),
      );
      if (out.ChallengeName)
        throw new IdentityProviderError('NotAuthorizedException', 'Refresh asked for a challenge');
      return toTokens(out.AuthenticationResult);
    },

    async globalSignOut(accessToken) {
      await call(() => client.send(new GlobalSignOutCommand({ AccessToken: accessToken })));
    },
  };
}

/** Cognito's modelled (and unmodelled) exceptions become IdentityProviderError; network faults pass through. */
async function call<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof CognitoIdentityProviderServiceException) {
      throw new IdentityProviderError(error.name, error.message);
    }
    throw error;
  }
}

function toTokens(
  result: { AccessToken?: string; IdToken?: string; RefreshToken?: string; ExpiresIn?: number } | undefined,
): Tokens {
  return {
    accessToken: required(result?.AccessToken, 'Cognito returned no AccessToken'),
    idToken: required(result?.IdToken, 'Cognito returned no IdToken'),
    ...(result?.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    ...(result?.ExpiresIn ? { expiresIn: result.ExpiresIn } : {}),
  };
}

function attributeRecord(attributes: AttributeType[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const a of attributes ?? []) if (a.Name && a.Value !== undefined) record[a.Name] = a.Value;
  return record;
}

function required<T>(value: T | undefined | null, message: string): T {
  if (value === undefined || value === null) throw new Error(message);
  return value;
}
