// Issue 21, item 1: evaluation that is small as written and huge as done. Each is a template whose public IP name the
// lint must evaluate; a correct run stops it with a limit-exceeded finding (exit 1), within the work budget.
import type { HostileInput } from './types.js';
import { templateText } from './types.js';

/** A template whose one public IP is named by `nameExpr`, with these variables. */
function named(variables: object, nameExpr: string): () => Record<string, string> {
  return () => ({
    'main.json': templateText({
      variables,
      resources: [{ type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: nameExpr, location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } }],
    }),
  });
}

/** An array holding itself twice, 60 times over: 60 values as a graph, 2^60 leaves as a tree. */
const DOUBLED = "[reduce(range(0, 60), createArray(1), lambda('a', 'i', createArray(lambdaVariables('a'), lambdaVariables('a'))))]";
const DOUBLED_OBJECT = "[reduce(range(0, 60), createObject('x', 1), lambda('a', 'i', createObject('l', lambdaVariables('a'), 'r', lambdaVariables('a'))))]";
const LIMIT = { exit: [1], output: /limit-exceeded/ } as const;

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
];
