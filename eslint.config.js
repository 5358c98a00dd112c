// Module boundaries (docs/architecture-notes.md): the brain is pure.
// expression, routing, domain and contract import no I/O library and read no clock;
// adapters may use pure libraries; apps wire both; nothing imports an app.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

const constraints = (adapterMayUseTesting) => [
  { sourceTag: 'type:pure', onlyDependOnLibsWithTags: ['type:pure'], bannedExternalImports: ioLibraries },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:pure', 'type:adapter', ...(adapterMayUseTesting ? ['type:testing'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:pure', 'type:adapter', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:adapter', ...(adapterMayUseTesting ? ['type:testing'] : [])] },
];

const ioLibraries = ['pg', 'pg-*', 'kafkajs', 'ioredis', '@nestjs/*', 'express', 'fs', 'node:*', 'net', 'http', 'https', 'child_process', 'testcontainers'];

module.exports = [
  { ignores: ['**/node_modules/**', 'dist/**', 'tools/kafka/.cache/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: constraints(false),
        },
      ],
    },
  },
  {
    // Specs (and their test-support folders) may use the real test stack helpers; production code may not.
    files: ['**/*.spec.ts', '**/test-support/**/*.ts', '**/testing-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints(true) }] },
  },
  {
    // Pure code takes the clock as an argument: Date.now()/new Date() are banned there.
    files: ['libs/expression/**/*.ts', 'libs/routing/**/*.ts', 'libs/domain/**/*.ts', 'libs/contract/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Pure libraries take the clock as an argument.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pure libraries take the clock as an argument.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Pure libraries take randomness as an argument.' },
      ],
    },
  },
];
