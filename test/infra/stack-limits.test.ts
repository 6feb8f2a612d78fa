/**
 * CloudFormation refuses a stack of more than 500 resources or a template over 1 MB (at deploy time, long
 * after a reviewer could have split it). The real app's stacks, nested ones included, must keep a margin.
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { app as realApp } from '../../lib/app/app';
import { getStageConfig } from '../../lib/config/stages';
import { buildZepto } from '../../lib/stacks/zepto';
import { testApp } from './fixtures/synth';

const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;
/** Room left for the next service before the limit is reached. */
const MARGIN = 0.85;

describe.each(['dev', 'prod'] as const)('stack limits of the real app on %s', (stage) => {
  const app = testApp();
  buildZepto(app, { config: getStageConfig(stage), definition: realApp, nag: false, nagReports: false });
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
  const sizes = stacks.map((stack) => {
    const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, unknown> };
    return {
      stack: stack.node.path,
      resources: Object.keys(template.Resources).length,
      bytes: JSON.stringify(template).length,
    };
  });

  it('renders each service’s functions in a nested stack of the api stack', () => {
    const nested = stacks.filter((s) => s instanceof NestedStack).map((s) => s.node.id);
    const services = [...new Set(realApp.functions.map((fn) => fn.service))];
    expect(nested.sort()).toEqual(services.map((s) => `${s[0]!.toUpperCase()}${s.slice(1)}Functions`).sort());
  });

  it(`keeps every stack under ${MARGIN * 100}% of 500 resources and a 1 MB template`, () => {
    const over = sizes.filter(
      (s) => s.resources > MAX_RESOURCES * MARGIN || s.bytes > MAX_TEMPLATE_BYTES * MARGIN,
    );
    expect(over).toEqual([]);
  });
});
