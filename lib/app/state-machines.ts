/**
 * State machines of the app definition and the rules their ASL files must follow, shared by CDK
 * (lib/stacks/api-stack.ts), the local Step Functions runner (local/stepfunctions/) and the tests:
 *
 * - the file is JSON, JSONPath ASL (JSONata is ignored by the local runner), with a `StartAt` and
 *   transitions (`Next`, `Default`, `Choices[].Next`, `Catch[].Next`) that name states of their scope;
 * - every Task is `"Resource": "${<FunctionName>Arn}"` (direct Lambda ARN form) naming a function whose
 *   trigger is `{kind: 'stateMachine', machine}` for this machine, every such function is referenced, and
 *   no other `${...}` placeholder appears (CDK substitutes exactly these);
 * - Task state names are unique across the machine, nested Map/Parallel states included (the local
 *   runner maps Tasks to functions by state name).
 *
 * Nothing here imports CDK.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isStateMachineTask, type AppDef, type StateMachineDef, type StateMachineTaskDef } from './types';

export const DEFAULT_STATE_MACHINE_TIMEOUT_MINUTES = 60;

/** The definition substitution a Task's `Resource` names for a function: `${<FunctionName>Arn}`. */
export const taskArnPlaceholder = (functionName: string): string => `${functionName}Arn`;

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const TASK_RESOURCE = /^\$\{([A-Za-z][A-Za-z0-9]*)Arn\}$/;
const STATE_TYPES = new Set(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);
const TERMINAL = new Set(['Succeed', 'Fail', 'Choice']);

/** The functions that are Tasks of a machine. */
export function stateMachineTasks(app: Pick<AppDef, 'functions'>, machine: string): StateMachineTaskDef[] {
  return app.functions.filter(isStateMachineTask).filter((fn) => fn.trigger.machine === machine);
}

/** The ASL file's text. */
export function readDefinition(def: StateMachineDef, root: string): string {
  return readFileSync(path.resolve(root, def.definitionFile), 'utf8');
}

export interface CheckedDefinition {
  /** The parsed ASL (placeholders still in it). */
  readonly asl: Record<string, unknown>;
  /** Task state name → function name, over the whole machine. */
  readonly tasks: ReadonlyMap<string, string>;
  /** What is wrong; empty when the definition is usable. */
  readonly errors: readonly string[];
}

/** Checks one machine's ASL text against the app definition (see the module comment). */
export function checkDefinition(
  def: StateMachineDef,
  text: string,
  app: Pick<AppDef, 'functions'>,
): CheckedDefinition {
  const errors: string[] = [];
  const tasks = new Map<string, string>();
  const where = `${def.name} (${def.definitionFile})`;
  let asl: unknown;
  try {
    asl = JSON.parse(text);
  } catch (err) {
    return { asl: {}, tasks, errors: [`${where}: not JSON: ${(err as Error).message}`] };
  }
  if (!isObject(asl)) return { asl: {}, tasks, errors: [`${where}: not a JSON object`] };
  if (asl.QueryLanguage !== undefined && asl.QueryLanguage !== 'JSONPath')
    errors.push(`${where}: QueryLanguage must be JSONPath (the local runner ignores JSONata)`);

  const members = stateMachineTasks(app, def.name).map((fn) => fn.name);
  const known = new Set(members);
  const referenced = new Set<string>();

  const walk = (scope: Record<string, unknown>, label: string): void => {
    const states = scope.States;
    if (!isObject(states) || Object.keys(states).length === 0) {
      errors.push(`${where}: ${label} has no States`);
      return;
    }
    const names = new Set(Object.keys(states));
    const target = (from: string, field: string, next: unknown) => {
      if (typeof next !== 'string' || !names.has(next))
        errors.push(`${where}: ${from}.${field} names no state of ${label}: ${String(next)}`);
    };
    if (typeof scope.StartAt !== 'string' || !names.has(scope.StartAt))
      errors.push(`${where}: ${label}.StartAt names no state: ${String(scope.StartAt)}`);
    for (const [name, state] of Object.entries(states)) {
      if (!isObject(state) || typeof state.Type !== 'string' || !STATE_TYPES.has(state.Type)) {
        errors.push(`${where}: state ${name} has no known Type`);
        continue;
      }
      if (state.Next !== undefined) target(name, 'Next', state.Next);
      else if (state.End !== true && !TERMINAL.has(state.Type))
        errors.push(`${where}: state ${name} has neither Next nor End`);
      if (state.Type === 'Choice') {
        const choices = Array.isArray(state.Choices) ? state.Choices : [];
        if (choices.length === 0) errors.push(`${where}: Choice ${name} has no Choices`);
        choices.forEach((c: unknown, i) => target(name, `Choices[${i}].Next`, isObject(c) ? c.Next : c));
        if (state.Default !== undefined) target(name, 'Default', state.Default);
      }
      const catchers = Array.isArray(state.Catch) ? state.Catch : [];
      catchers.forEach((c: unknown, i) => target(name, `Catch[${i}].Next`, isObject(c) ? c.Next : c));
      if (state.Type === 'Task') {
        const match = typeof state.Resource === 'string' ? TASK_RESOURCE.exec(state.Resource) : null;
        if (!match) {
          errors.push(
            `${where}: Task ${name} must have "Resource": "\${<FunctionName>Arn}" (got ${JSON.stringify(state.Resource)})`,
          );
        } else {
          const fn = match[1]!;
          if (!known.has(fn))
            errors.push(
              `${where}: Task ${name} names ${fn}, which is not a function with trigger {kind: 'stateMachine', machine: '${def.name}'}`,
            );
          referenced.add(fn);
          if (tasks.has(name)) errors.push(`${where}: two Task states are named ${name}`);
          tasks.set(name, fn);
        }
      }
      if (state.Type === 'Map') {
        const processor = state.ItemProcessor ?? state.Iterator;
        if (!isObject(processor)) errors.push(`${where}: Map ${name} has no ItemProcessor`);
        else walk(processor, `Map ${name}`);
      }
      if (state.Type === 'Parallel') {
        const branches = Array.isArray(state.Branches) ? state.Branches : [];
        if (branches.length === 0) errors.push(`${where}: Parallel ${name} has no Branches`);
        branches.forEach((b: unknown, i) =>
          isObject(b)
            ? walk(b, `Parallel ${name} branch ${i}`)
            : errors.push(`${where}: Parallel ${name} branch ${i} is not an object`),
        );
      }
    }
  };
  walk(asl, 'the machine');

  for (const [, placeholder] of text.matchAll(PLACEHOLDER)) {
    const fn = placeholder!.endsWith('Arn') ? placeholder!.slice(0, -3) : undefined;
    if (fn === undefined || !known.has(fn))
      errors.push(`${where}: \${${placeholder}} is not the ARN of one of its Task functions`);
  }
  for (const fn of members)
    if (!referenced.has(fn))
      errors.push(`${where}: ${fn} is a Task of ${def.name} but no Task state names \${${fn}Arn}`);
  return { asl, tasks, errors };
}

/**
 * Every rule about state machines in the app definition: each machine's ASL (checkDefinition), unique
 * machine names, triggers and `stateMachines` grants naming known machines, and no function that both is a
 * Task of a machine and starts it (the machine's definition names the function and the function's
 * environment names the machine: a cycle CloudFormation cannot create). Returns the checked definitions.
 */
export function checkStateMachines(
  app: Pick<AppDef, 'functions' | 'stateMachines'>,
  root: string,
): { definitions: ReadonlyMap<string, CheckedDefinition>; errors: string[] } {
  const errors: string[] = [];
  const definitions = new Map<string, CheckedDefinition>();
  const machines = app.stateMachines ?? [];
  const names = new Set<string>();
  for (const def of machines) {
    if (names.has(def.name)) errors.push(`Two state machines are named ${def.name}`);
    names.add(def.name);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(def.name))
      errors.push(`State machine name ${def.name} is not PascalCase`);
    let text: string;
    try {
      text = readDefinition(def, root);
    } catch (err) {
      errors.push(`${def.name}: cannot read ${def.definitionFile}: ${(err as Error).message}`);
      continue;
    }
    const checked = checkDefinition(def, text, app);
    definitions.set(def.name, checked);
    errors.push(...checked.errors);
  }
  for (const fn of app.functions) {
    if (isStateMachineTask(fn) && !names.has(fn.trigger.machine))
      errors.push(`${fn.name} is a Task of an unknown state machine ${fn.trigger.machine}`);
    for (const machine of Object.keys(fn.stateMachines ?? {})) {
      if (!names.has(machine)) errors.push(`${fn.name} starts an unknown state machine ${machine}`);
      if (isStateMachineTask(fn) && fn.trigger.machine === machine)
        errors.push(`${fn.name} cannot both be a Task of ${machine} and start it`);
    }
  }
  return { definitions, errors };
}

/** checkStateMachines, throwing one error that lists every problem. */
export function validateStateMachines(
  app: Pick<AppDef, 'functions' | 'stateMachines'>,
  root: string,
): ReadonlyMap<string, CheckedDefinition> {
  const { definitions, errors } = checkStateMachines(app, root);
  if (errors.length > 0) throw new Error(`Invalid state machines:\n- ${errors.join('\n- ')}`);
  return definitions;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
