import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { cognitoIdentityProvider } from '../../../functions/identity/adapters/cognito-identity-provider';
import { dynamoDbProfileRepository } from '../../../functions/identity/adapters/dynamodb-profile-repository';
import { IdentityProviderError } from '../../../functions/identity/ports';

const cognito = mockClient(CognitoIdentityProviderClient);
const dynamo = mockClient(DynamoDBDocumentClient);
const idp = cognitoIdentityProvider({
  client: new CognitoIdentityProviderClient({}),
  userPoolId: 'pool',
  clientId: 'client',
});
const profiles = dynamoDbProfileRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'Users');

beforeEach(() => {
  cognito.reset();
  dynamo.reset();
});

describe('the Cognito adapter', () => {
  it('signs up with the email as username and the profile attributes', async () => {
    cognito.on(SignUpCommand).resolves({ UserSub: 'sub-1', UserConfirmed: false });

    await expect(
      idp.signUp({ email: 'a@example.com', password: 'pw', name: 'A', phone: '+919876543210' }),
    ).resolves.toEqual({
      userId: 'sub-1',
      confirmed: false,
    });
    expect(cognito.commandCalls(SignUpCommand)[0]!.args[0].input).toEqual({
      ClientId: 'client',
      Username: 'a@example.com',
      Password: 'pw',
      UserAttributes: [
        { Name: 'email', Value: 'a@example.com' },
        { Name: 'name', Value: 'A' },
        { Name: 'phone_number', Value: '+919876543210' },
      ],
    });
  });

  it("turns Cognito's exceptions into IdentityProviderError named like them", async () => {
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));

    const error = await idp.passwordSignIn('a@example.com', 'x').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(IdentityProviderError);
    expect(error).toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('lets errors that are not from Cognito through untouched', async () => {
    const network = new Error('socket hang up');
    cognito.on(InitiateAuthCommand).rejects(network);

    await expect(idp.passwordSignIn('a@example.com', 'x')).rejects.toBe(network);
  });

  it('reports a challenge instead of tokens', async () => {
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'SMS_MFA', Session: 's' });

    await expect(idp.passwordSignIn('a@example.com', 'x')).resolves.toEqual({
      kind: 'challenge',
      challenge: 'SMS_MFA',
    });
  });

  it('keeps a rotated refresh token and the expiry when Cognito sends them', async () => {
    cognito.on(InitiateAuthCommand).resolves({
      AuthenticationResult: { AccessToken: 'a', IdToken: 'i', RefreshToken: 'r2', ExpiresIn: 3600 },
    });

    await expect(idp.refresh('r1')).resolves.toEqual({
      accessToken: 'a',
      idToken: 'i',
      refreshToken: 'r2',
      expiresIn: 3600,
    });
  });

  it('answers undefined for a user that does not exist', async () => {
    cognito
      .on(AdminGetUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));

    await expect(idp.getUser('nobody@example.com')).resolves.toBeUndefined();
  });

  it('reads every page of a user’s groups', async () => {
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolvesOnce({ Groups: [{ GroupName: 'customer' }], NextToken: 'n' })
      .resolvesOnce({ Groups: [{ GroupName: 'merchant' }] });

    await expect(idp.listGroups('u')).resolves.toEqual(['customer', 'merchant']);
    expect(cognito.commandCalls(AdminListGroupsForUserCommand)[1]!.args[0].input.NextToken).toBe('n');
  });
});

describe('the Users table adapter', () => {
  it('creates a profile only if none exists, and says whether it did', async () => {
    dynamo
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const profile = {
      userId: 'u',
      username: 'u',
      email: 'e',
      name: 'n',
      roles: ['customer' as const],
      createdAt: 't',
      updatedAt: 't',
    };

    await expect(profiles.create(profile)).resolves.toBe(false);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.ConditionExpression).toBe(
      'attribute_not_exists(userId)',
    );
  });

  it('removes the phone attribute when the change sets it to null', async () => {
    dynamo
      .on(UpdateCommand)
      .resolves({ Attributes: { userId: 'u', email: 'e', name: 'n', roles: ['customer'] } });

    await profiles.update('u', { name: 'New', phone: null }, 't');

    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('SET #updatedAt = :updatedAt, #name = :name REMOVE #phone');
    expect(input.ConditionExpression).toBe('attribute_exists(userId)');
    expect(input.ExpressionAttributeValues).toEqual({ ':updatedAt': 't', ':name': 'New' });
  });

  it('sets the locale a profile update names, and reads it back', async () => {
    dynamo
      .on(UpdateCommand)
      .resolves({ Attributes: { userId: 'u', email: 'e', name: 'n', locale: 'hi', roles: ['customer'] } });

    const updated = await profiles.update('u', { locale: 'hi' }, 't');

    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).toBe('SET #updatedAt = :updatedAt, #locale = :locale');
    expect(input.ExpressionAttributeValues).toEqual({ ':updatedAt': 't', ':locale': 'hi' });
    expect(updated?.locale).toBe('hi');
  });

  it('answers undefined when updating a profile that does not exist', async () => {
    dynamo
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'missing', $metadata: {} }));

    await expect(profiles.setRoles('u', ['merchant'], 't')).resolves.toBeUndefined();
  });
});
