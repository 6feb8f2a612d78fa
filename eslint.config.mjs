import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Which service may import what is checked by test/unit/app/dependency-rules.test.ts.
export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', '.cache/', 'coverage/', 'bench/reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Lambda code validates with zod/mini; type-only imports cost nothing at run time.
    files: ['functions/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['zod', 'zod/v4', 'zod/v3'].map((name) => ({
            name,
            message: 'Use zod/mini in functions: classic zod costs ~9 ms of every cold start',
            allowTypeImports: true,
          })),
        },
      ],
    },
  },
  {
    // A module a function imports builds no zod schema at load: V8 compiles each kind of zod schema on its
    // first use, so a schema built at import costs every importer's cold start, used or not. Contracts
    // hold builders (the route's `request`, response schemas); a schema only some requests need is built
    // with `once` (docs/decisions/0010-lean-functions.md).
    files: [
      'functions/*/contracts.ts',
      'functions/*/admin-contracts.ts',
      'functions/shared/env.ts',
      'functions/shared/http/*.ts',
      'functions/shared/published/*.ts',
    ],
    // Loaded on demand, by the first request that presents a token on a public route.
    ignores: ['functions/shared/http/caller-token.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.object.name="z"]:not(:function CallExpression)',
          message:
            'No zod schema at module load here: wrap it in a builder (`() => …`, or `once(() => …)` from #shared/once)',
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
