/**
 * The global setup's local Step Functions endpoint: code under test finds it through AWS_ENDPOINT_URL_SFN
 * (as every local function does), and it speaks the Step Functions API.
 */
import { ListExecutionsCommand, SFNClient, StateMachineDoesNotExist } from '@aws-sdk/client-sfn';
import { app } from '../../lib/app/app';
import { stateMachineEnvName } from '../../lib/app/env';
import { testResources } from '../support/engines';

const resources = testResources();

it('publishes the endpoint and every state machine ARN of the app to the tests', () => {
  expect(process.env.AWS_ENDPOINT_URL_SFN).toBe(resources.endpoints.sfn);
  expect(resources.endpoints.sfn).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  for (const machine of app.stateMachines ?? [])
    expect(process.env[stateMachineEnvName(machine.name)]).toBe(resources.stateMachineArns![machine.name]);
});

it('answers an SDK client that takes its endpoint from the environment', async () => {
  const client = new SFNClient({});
  try {
    const err = await client
      .send(
        new ListExecutionsCommand({
          stateMachineArn: 'arn:aws:states:ap-south-1:000000000000:stateMachine:zepto-local-NoSuchMachine',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateMachineDoesNotExist);
  } finally {
    client.destroy();
  }
});
