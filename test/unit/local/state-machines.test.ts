/** The app's state machines as the local Step Functions endpoint runs them (local/stepfunctions/machines.ts). */
import {
  localFunctionArn,
  localStateMachineArn,
  localStateMachines,
} from '../../../local/stepfunctions/machines';
import { eventsFixtureApp } from '../../infra/fixtures/events-app';

describe('local state machines', () => {
  const [machine] = localStateMachines(eventsFixtureApp);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const states = machine!.definition.States as any;

  it('replaces every ${<Function>Arn} by the local ARN of that function', () => {
    expect(JSON.stringify(machine!.definition)).not.toContain('${');
    expect(states.Split.Resource).toBe(localFunctionArn('SplitFile'));
    expect(states.CountParts.ItemProcessor.States.CountPart.Resource).toBe(localFunctionArn('CountPart'));
    expect(machine!.arn).toBe(localStateMachineArn('Pipeline'));
  });

  it('maps every Task state, nested ones included, to its function', () => {
    expect([...machine!.tasks]).toEqual([
      ['Split', 'SplitFile'],
      ['CountPart', 'CountPart'],
      ['RecordTotal', 'RecordResult'],
      ['RecordFailure', 'RecordResult'],
    ]);
  });

  it("sets the declared execution timeout, and each Task's to its function's timeout plus a minute", () => {
    expect(machine!.definition.TimeoutSeconds).toBe(15 * 60);
    expect(states.Split.TimeoutSeconds).toBe(70);
    expect(states.CountParts.ItemProcessor.States.CountPart.TimeoutSeconds).toBe(70);
  });
});
