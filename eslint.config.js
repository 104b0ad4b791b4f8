import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'dist-electron/',
      'dist-cli/',
      'release/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Keys and plaintext must never reach a log: only deliberate error reports.
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // UI code reaches storage and crypto only through the vault worker.
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/vault/worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'dexie', message: 'Only the vault worker talks to IndexedDB.' },
            { name: 'libsodium-wrappers-sumo', message: 'Only the vault worker holds keys and calls libsodium.' },
          ],
        },
      ],
    },
  },
  {
    // Stored records go through the record-kind registry's typed door (store.find/read/list/seal): the raw
    // methods, which parse nothing, are for the store itself, tests and benchmarks.
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/vault/worker/vault-store.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'MemberExpression > Identifier.property[name=/^(readCaseRecord|readVaultRecord|listCaseRecords|listVaultRecords|listAllCaseRecords|sealCaseRecord|sealVaultRecord)$/]',
          message: 'Read and write records through the registry: store.find/read/list/listAcrossCases/seal.',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['scripts/**/*.mjs', 'build/**/*.cjs', 'tests/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
