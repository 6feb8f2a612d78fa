/**
 * The state machines of an app definition as the local Step Functions endpoint runs them: the same ASL
 * file CDK deploys, checked by the same rules (lib/app/state-machines.ts), with each `${<Function>Arn}`
 * replaced by the function's local ARN and the declared timeout, and a map from every Task state (nested
 * ones included) to the function it invokes.
 */
import * as path from 'node:path';
import {
  DEFAULT_STATE_MACHINE_TIMEOUT_MINUTES,
  readDefinition,
  stateMachineTasks,
  taskArnPlaceholder,
  validateStateMachines,
} from '../../lib/app/state-machines';
import { DEFAULT_TIMEOUT_SECONDS } from '../../lib/app/defaults';
import type { AppDef } from '../../lib/app/types';

export const LOCAL_REGION = 'ap-south-1';
export const LOCAL_ACCOUNT = '000000000000';

export const localStateMachineName = (logical: string): string => `zepto-local-${logical}`;
export const localStateMachineArn = (logical: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${localStateMachineName(logical)}`;
export const localFunctionArn = (functionName: string): string =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:zepto-local-${functionName}`;

/** The ARN of every state machine of the app definition, by logical name. */
export function localStateMachineArns(app: Pick<AppDef, 'stateMachines'>): Record<string, string> {
  return Object.fromEntries((app.stateMachines ?? []).map((m) => [m.name, localStateMachineArn(m.name)]));
}

export interface LocalStateMachine {
  /** Logical name. */
  readonly name: string;
  readonly arn: string;
  /** The ASL with local ARNs substituted and TimeoutSeconds set. */
  readonly definition: Record<string, unknown>;
  /** Task state name → function name. */
  readonly tasks: ReadonlyMap<string, string>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function localStateMachines(
  app: Pick<AppDef, 'functions' | 'stateMachines'>,
  root = REPO_ROOT,
): LocalStateMachine[] {
  const checked = validateStateMachines(app, root);
  return (app.stateMachines ?? []).map((def) => {
    let text = readDefinition(def, root);
    for (const fn of stateMachineTasks(app, def.name))
      text = text.replaceAll(`\${${taskArnPlaceholder(fn.name)}}`, localFunctionArn(fn.name));
    const definition = JSON.parse(text) as Record<string, unknown>;
    definition.TimeoutSeconds = (def.timeoutMinutes ?? DEFAULT_STATE_MACHINE_TIMEOUT_MINUTES) * 60;
    const tasks = checked.get(def.name)!.tasks;
    // In AWS a Task has no timeout of its own unless it sets one (the function's timeout rules); the local
    // interpreter would stop it after 60 s, so a Task without one gets its function's timeout plus a minute.
    const timeouts = new Map(
      app.functions.map((fn) => [fn.name, (fn.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) + 60]),
    );
    forEachState(definition, (name, state) => {
      const fn = state.Type === 'Task' ? tasks.get(name) : undefined;
      if (fn && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
        state.TimeoutSeconds = timeouts.get(fn);
    });
    return { name: def.name, arn: localStateMachineArn(def.name), definition, tasks };
  });
}

/** Every state of a machine, nested Map and Parallel states included. */
function forEachState(
  scope: Record<string, unknown>,
  visit: (name: string, state: Record<string, unknown>) => void,
): void {
  for (const [name, state] of Object.entries(
    (scope.States ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    visit(name, state);
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
    if (processor) forEachState(processor, visit);
    for (const branch of (state.Branches ?? []) as Record<string, unknown>[]) forEachState(branch, visit);
  }
}
