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
    // The engine runs per resource and per expression, and three V8 (Node 20) traps cost it measurably there
    // (bench/RESULTS.md, "Measurements moved out of the code"): an object built by spread and then given a property
    // the spread did not have (`{ ...base, kind: 'x' }`) is far slower than a plain literal; a module-level WeakMap
    // cache keeps its values alive through young-generation collections (keep per-run caches on the object that owns
    // the run); and a closure made per call (a forEach callback) keeps its optimised code only while a closure of it
    // is alive, so V8 compiles it again after each full collection. Loops, methods and Object.assign avoid all three.
    // Where these were measured to matter: the engine's hot code. Rules, the library and the CLI read plainly.
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement ~ Property',
          message: 'A property after a spread is slow in V8 (see eslint.config.js): spread last, or use Object.assign({}, a, b).',
        },
        {
          selector: "CallExpression[callee.property.name='forEach'] > :function",
          message: 'A forEach callback is a closure made per call, compiled again after each full collection (see eslint.config.js): use a for loop.',
        },
        {
          selector: "NewExpression[callee.name='WeakMap']",
          message: 'A WeakMap cache keeps its values alive through young-generation collections (see eslint.config.js): keep the cache on the object that owns it.',
        },
      ],
    },
  },
);
