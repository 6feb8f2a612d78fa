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
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
