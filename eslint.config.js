// Lint configuration for egress-lint's own TypeScript sources.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'fixtures/', 'examples/', '.scratch/', '.bench-build/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The engine and the rules run per resource and per finding. In Node 20 (V8 11.3) an object built by spread
    // and then given a property the spread did not have, as in `{ ...base, kind: 'x' }`, costs about 1.5 µs per
    // added property, a hundred times a plain literal (measured): building the network graph was a fifth of
    // linting a small template. Spread last, or Object.assign({}, a, b), has no such cost.
    files: ['engine/**/*.ts', 'rules/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement ~ Property',
          message: 'A property after a spread is slow in V8 (see eslint.config.js): spread last, or use Object.assign({}, a, b).',
        },
      ],
    },
  },
);
