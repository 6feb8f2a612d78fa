import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering rules of functions/: a service imports only its own files, functions/shared and packages;
 * functions/shared imports no service; nothing under functions/ imports CDK or lib/.
 */
const root = resolve(__dirname, '../../..');
const functionsDir = join(root, 'functions');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

const owner = (path: string) => relative(functionsDir, path).split(sep)[0];

const files = sourceFiles(functionsDir).map((file) => ({ file, imports: importsOf(file) }));

describe('dependency rules of functions/', () => {
  it('finds the services to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(root, f.file), f] as const))(
    '%s imports only what its layer may',
    (_name, f) => {
      const service = owner(f.file);
      const offences = f.imports.filter((spec) => {
        if (spec.startsWith('aws-cdk-lib') || spec === 'constructs') return true;
        if (!spec.startsWith('.')) return false;
        const target = resolve(dirname(f.file), spec);
        if (!target.startsWith(functionsDir + sep)) return true;
        const targetService = owner(target);
        return service === 'shared'
          ? targetService !== 'shared'
          : targetService !== service && targetService !== 'shared';
      });
      expect(offences).toEqual([]);
    },
  );
});
