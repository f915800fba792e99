// Lint configuration for egress-lint's own TypeScript sources.
import tseslint from 'typescript-eslint';

// Maps keyed by data (a template's, a configuration's, a lock file's keys) have no prototype: in a plain {} a
// "__proto__" key sets the prototype and vanishes, and "constructor" or "toString" is found where nothing was
// stored (issue 21). These selectors catch the ways such a map is started as a plain object; start it with
// Object.create(null), the engine's nullObject(), or use a Map. A record whose keys are fixed by the code (never by
// input) may say so in an eslint-disable comment.
const DATA_MAP_MESSAGE = 'A map keyed by data must have no prototype (a "__proto__" key vanishes, "constructor" is found): use Object.create(null), nullObject() or a Map (see eslint.config.js).';
const DATA_MAPS = [
  ...['VariableDeclarator[id.typeAnnotation.typeAnnotation.typeName.name="Record"]', 'PropertyDefinition[typeAnnotation.typeAnnotation.typeName.name="Record"]'].map((owner) => ({
    selector: `${owner}:matches([init.type="ObjectExpression"][init.properties.length=0], [value.type="ObjectExpression"][value.properties.length=0])`,
    message: DATA_MAP_MESSAGE,
  })),
  { selector: 'VariableDeclarator[init.type="ObjectExpression"][init.properties.length=0] > Identifier > TSTypeAnnotation > TSTypeLiteral > TSIndexSignature', message: DATA_MAP_MESSAGE },
  { selector: 'TSAsExpression[expression.type="ObjectExpression"][expression.properties.length=0][typeAnnotation.typeName.name="Record"]', message: DATA_MAP_MESSAGE },
  { selector: 'CallExpression[callee.object.name="Object"][callee.property.name="fromEntries"]', message: DATA_MAP_MESSAGE },
];

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
    files: ['cli/**/*.ts', 'api/**/*.ts', 'engine/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...DATA_MAPS] },
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
        ...DATA_MAPS,
      ],
    },
  },
);
