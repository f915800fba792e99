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
    // The engine runs per resource and per expression. In Node 20 (V8 11.3) an object built by spread
    // and then given a property the spread did not have, as in `{ ...base, kind: 'x' }`, costs about 1.5 µs per
    // added property, a hundred times a plain literal (measured): building the network graph was a fifth of
    // linting a small template. Spread last, or Object.assign({}, a, b), has no such cost.
    // A module-level WeakMap used as a cache is a second trap: V8's young-generation collector treats WeakMap values
    // as strong, so a value that leads back to its key (an index of a deployment's resources, a closure over a
    // template) kept each template's whole expansion alive until a full collection; linting the corpus spent three
    // times as long in scavenges (measured). Keep per-run caches in the object that owns the run.
    // A third: a closure made per call (a forEach callback, a context object's method) keeps its optimised code only
    // while a closure of it is alive, so after each full collection V8 compiles it again; over a run of many templates
    // that was a tenth of lint's CPU time (bench/RESULTS.md, fifth session). Loops and methods are compiled once.
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
