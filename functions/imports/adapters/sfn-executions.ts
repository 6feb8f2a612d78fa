/** Starts the InventoryImport machine (Step Functions StartExecution). */
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStarter } from '../ports';

export class SfnExecutionStarter implements ExecutionStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: unknown): Promise<{ existed: boolean }> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { existed: false };
    } catch (error) {
      // The same file started already (a redelivered event): that execution applies it, once.
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return { existed: true };
      throw error;
    }
  }
}
