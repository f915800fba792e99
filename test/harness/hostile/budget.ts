// Issue 21, item 1: evaluation that is small as written and huge as done. Each is a template whose public IP name the
// lint must evaluate; a correct run stops it with a limit-exceeded finding (exit 1), within the work budget.
import type { HostileInput } from './types.js';
import { templateText } from './types.js';

/** A template whose one public IP is named by `nameExpr`, with these variables (and outputs, parameters). */
function named(variables: object, nameExpr: string, more: { outputs?: object; extra?: object } = {}): () => Record<string, string> {
  return () => ({
    'main.json': templateText({
      variables,
      resources: [{ type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: nameExpr, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } }],
      outputs: more.outputs,
      extra: more.extra,
    }),
  });
}

/** An array holding itself twice, 60 times over: 60 values as a graph, 2^60 leaves as a tree. */
const DOUBLED = "[reduce(range(0, 60), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))]";
const DOUBLED_OBJECT = "[reduce(range(0, 60), createObject('x', 1), lambda('a', 'i', createObject('l', lambdaVariables('a'), 'r', lambdaVariables('a'))))]";
const LIMIT = { exit: [1], output: /limit-exceeded/ } as const;
/** The same two, written inside another expression. */
const D = DOUBLED.slice(1, -1);
const DO = DOUBLED_OBJECT.slice(1, -1);
/** An array doubled 20 times: 2^21 nodes as a tree, small enough alone. */
const SHARED_ROW = "[reduce(range(0, 20), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))]";

export const budgetInputs: readonly HostileInput[] = [
  { name: 'string() of an array doubled 60 times', files: named({ big: DOUBLED }, "[substring(string(variables('big')), 0, 8)]"), args: ['main.json'], expect: LIMIT },
  { name: 'string() of an object doubled 60 times', files: named({ big: DOUBLED_OBJECT }, "[substring(string(variables('big')), 0, 8)]"), args: ['main.json'], expect: LIMIT },
  { name: 'equals() of two arrays doubled 60 times', files: named({ big: DOUBLED, big2: DOUBLED }, "[if(equals(variables('big'), variables('big2')), 'a', 'b')]"), args: ['main.json'], expect: LIMIT },
  { name: 'contains() in an array doubled 60 times', files: named({ big: DOUBLED }, "[if(contains(variables('big'), 5), 'a', 'b')]"), args: ['main.json'], expect: LIMIT },
  { name: 'indexOf() in an array doubled 60 times', files: named({ big: DOUBLED }, "[string(indexOf(variables('big'), 5))]"), args: ['main.json'], expect: LIMIT },
  { name: 'union() of an array doubled 60 times', files: named({ big: DOUBLED }, "[string(length(union(variables('big'), createArray(2))))]"), args: ['main.json'], expect: LIMIT },
  { name: 'intersection() of arrays doubled 60 times', files: named({ big: DOUBLED, big2: DOUBLED }, "[string(length(intersection(variables('big'), variables('big2'))))]"), args: ['main.json'], expect: LIMIT },
  { name: 'filter() over an array doubled 60 times', files: named({ big: DOUBLED }, "[string(length(filter(variables('big'), lambda('x', equals(lambdaVariables('x'), 5)))))]"), args: ['main.json'], expect: LIMIT },
  { name: 'json(string()) of an array doubled 60 times', files: named({ big: DOUBLED }, "[string(length(json(string(variables('big')))))]"), args: ['main.json'], expect: LIMIT },
  { name: 'map() nested 10,000 x 10,000', files: named({ m: "[map(range(0, 10000), lambda('i', map(range(0, 10000), lambda('j', lambdaVariables('j')))))]" }, "[string(length(variables('m')))]"), args: ['main.json'], expect: LIMIT },
  { name: "padLeft('x', 2e9) is an error like range(0, 1e9)", files: named({}, "[padLeft('x', 2000000000)]"), args: ['main.json'], expect: { exit: [1], output: /padLeft/ } },

  // The same values built and walked inside one expression: the walking function pays the tree size, not the value.
  { name: 'string() of an array doubled 60 times, in one expression', files: named({}, `[substring(string(${D}), 0, 8)]`), args: ['main.json'], expect: { exit: [1], output: /ran out in string\(\)/ } },
  { name: 'string() of an object doubled 60 times, in one expression', files: named({}, `[substring(string(${DO}), 0, 8)]`), args: ['main.json'], expect: { exit: [1], output: /ran out in string\(\)/ } },
  { name: 'equals() of two arrays doubled 60 times, in one expression', files: named({}, `[if(equals(${D}, ${D}), 'a', 'b')]`), args: ['main.json'], expect: { exit: [1], output: /ran out in equals\(\)/ } },
  { name: 'lastIndexOf() in an array doubled 60 times, in one expression', files: named({}, `[string(lastIndexOf(${D}, 5))]`), args: ['main.json'], expect: { exit: [1], output: /ran out in lastIndexOf\(\)/ } },
  { name: 'union() of an object doubled 60 times with itself, in one expression', files: named({}, `[string(length(union(${DO}, ${DO})))]`), args: ['main.json'], expect: { exit: [1], output: /ran out in union\(\)/ } },
  { name: 'sort() whose comparison prints 10,000 numbers, over 10,000 items', files: named({}, "[string(length(sort(range(0, 10000), lambda('a', 'b', less(length(string(range(0, 10000))), 0)))))]"), args: ['main.json'], expect: LIMIT },
  { name: 'concat() of a growing array with 10,000 more, 10,000 times', files: named({}, "[string(length(reduce(range(0, 10000), createArray(), lambda('a', 'i', concat(lambdaVariables('a'), range(0, 10000))))))]"), args: ['main.json'], expect: { exit: [1], output: /ran out in concat\(\)/ } },
  { name: 'reduce() building a string of a million characters 10,000 times', files: named({}, "[substring(reduce(range(0, 10000), '', lambda('a', 'i', take(concat(lambdaVariables('a'), padLeft('', 1000000, 'x')), 1000000))), 0, 8)]"), args: ['main.json'], expect: LIMIT },
  { name: 'a parameter default doubled 60 times, printed', files: named({}, "[substring(string(parameters('big')), 0, 8)]", { extra: { parameters: { big: { type: 'array', defaultValue: DOUBLED } } } }), args: ['main.json'], expect: { exit: [1], output: /\/parameters\/big\/defaultValue|limit-exceeded/ } },
  // A value shared 800 times by a copy loop: 800 references to one array of 2^21 leaves, which `expand` prints.
  { name: 'expand printing a variable copy loop that shares one array of 2^21 leaves 800 times', files: named({ row: SHARED_ROW, copy: [{ name: 'rows', count: 800, input: "[variables('row')]" }] }, 'ip', { outputs: { rows: { type: 'array', value: "[variables('rows')]" } } }), args: ['expand', 'main.json'], expect: LIMIT },
  { name: 'string() of an array doubled 60 times under 300 arrays of one element', files: named({}, `[substring(string(reduce(range(0, 300), ${D}, lambda('a', 'i', createArray(lambdaVariables('a'))))), 0, 8)]`), args: ['main.json'], expect: { exit: [1], output: /ran out in string\(\)/ } },
  { name: 'if() under a condition known only at deployment, between two arrays doubled 60 times', files: named({}, `[string(length(if(equals(parameters('p'), 'x'), ${D}, ${D})))]`, { extra: { parameters: { p: { type: 'string' } } } }), args: ['main.json'], expect: { exit: [1], output: /ran out in if\(\)/ } },
  // Work that reads rather than builds: hashing, searching.
  { name: 'uniqueString() of a string of a million characters, 10,000 times', files: named({ s: "[padLeft('', 1000000, 'x')]" }, "[string(length(map(range(0, 10000), lambda('i', uniqueString(variables('s'))))))]"), args: ['main.json'], expect: { exit: [1], output: /ran out in uniqueString\(\)/ } },
  { name: 'indexOf() of 1,000 a and a b in a million a: answered, not compared at every position', files: named({ hay: "[padLeft('', 1000000, 'a')]", needle: "[concat(padLeft('', 1000, 'a'), 'b')]" }, "[concat('ip', string(indexOf(variables('hay'), variables('needle'))))]"), args: ['main.json'], expect: { exit: [0] } },
  { name: 'expand printing an output doubled 60 times', files: named({}, 'ip', { outputs: { big: { type: 'array', value: DOUBLED } } }), args: ['expand', 'main.json'], expect: LIMIT },
];

