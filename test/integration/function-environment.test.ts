/**
 * Every handler module loads (its cold start succeeds) with only the environment its FunctionDef gives it —
 * the variables of the tables, buckets and user pool it declared, as in Lambda — so a handler that reads a
 * table it did not declare fails here rather than with a 502 in the deployed API.
 */
import { resolve } from 'node:path';
import { app } from '../../lib/app/app';
import { functionEnvironment } from '../../lib/app/env';
import { awsEnvironment } from '../../local/engines/types';
import { testResources } from '../support/engines';

const root = resolve(__dirname, '../..');
const resources = testResources();

describe('handler environments', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each(app.functions.map((fn) => [fn.name, fn] as const))(
    '%s loads with only its declared environment',
    (_n, fn) => {
      process.env = {
        PATH: saved.PATH,
        NODE_ENV: 'test',
        POWERTOOLS_METRICS_DISABLED: saved.POWERTOOLS_METRICS_DISABLED,
        ...awsEnvironment(resources.endpoints),
        ...functionEnvironment(fn, resources),
      };
      jest.isolateModules(() => {
        expect(() => require(resolve(root, fn.entry))).not.toThrow(); // eslint-disable-line @typescript-eslint/no-require-imports
      });
    },
  );
});
