import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'compiler/schema/*.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Layers: a lower one never imports an upper one (common < compiler < workflows/activities <
    // service < server/client). Type-only imports count too: they tie the lower layer's meaning to
    // the upper one's.
    files: ['common/**/*.ts', 'compiler/**/*.ts', 'activities/**/*.ts', 'service/**/*.ts'],
    ignores: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/client/*', '**/client/**', '**/server/*', '**/server/**'], message: 'A lower layer does not import client/ or server/.' }] },
      ],
    },
  },
  {
    // Workflow code is replayed: no I/O, no real clock, no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.flatMap((m) => [m, `node:${m}`]),
          patterns: [
            { group: ['**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Workflows import activities as types only.' },
            { group: ['**/client/*', '**/client/**', '**/server/*', '**/server/**', '**/service/*', '**/service/**'], message: 'A lower layer does not import an upper one.' },
          ],
        },
      ],
    },
  },
);
