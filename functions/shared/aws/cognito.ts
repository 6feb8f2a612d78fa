import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { tracer } from '../powertools';

export const cognitoClient = tracer.captureAWSv3Client(new CognitoIdentityProviderClient({}));
