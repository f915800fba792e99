// Inputs the structure-aware fuzzer found (test/harness/fuzz-structure.ts; `npm run fuzz` with FUZZ_STRUCTURE, see
// bench/RESULTS.md "Fuzzing"), each its shrunk counterexample: a bundled template with one mutation at a path (a
// missing path throws, so a changed template is loud, not a silently different input). Silent passes (issue 21,
// item 3) expect a finding or an unknown verdict where the template left the VM decided; hangs (item 1) expect
// limit-exceeded. Each failed on main before issue 21's fixes; test/fuzz.test.ts runs them, and `npm run bench:hostile`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate } from '../../../engine/index.js';
import { REPO } from '../fuzz.js';
import type { StructMutation } from '../fuzz-structure.js';
import { applyStruct, editAt, getAt, serialise, shareExpression, targetsOf } from '../fuzz-structure.js';
import type { HostileInput } from './types.js';

type Path = readonly (string | number)[];

/** The bundled template `file` with `mutation` applied at `path` (for mutations that take a target). */
function mutated(file: string, path: Path | undefined, mutation: (at: number) => StructMutation): () => Record<string, string> {
  return () => {
    const value = loadTemplate(file, readFileSync(join(REPO, file), 'utf8')).value;
    const at = path ? targetsOf(value).findIndex((t) => JSON.stringify(t.path) === JSON.stringify(path)) : 0;
    if (at < 0) throw new Error(`fuzz-found: ${file} has no node ${path!.join('/')} the graph reads (the template changed).`);
    return { 'main.json': serialise(applyStruct(value, mutation(at)).value) };
  };
}

/** The bundled template `file` with the node at `path` (which must exist) replaced by `f(node)`. */
function edited(file: string, path: Path, f: (node: unknown) => unknown): () => Record<string, string> {
  return () => {
    const value = loadTemplate(file, readFileSync(join(REPO, file), 'utf8')).value;
    if (getAt(value, path) === undefined) throw new Error(`fuzz-found: ${file} has no node ${path.join('/')} (the template changed).`);
    return { 'main.json': serialise(editAt(value, path, f)) };
  };
}

const ARGS = ['main.json', '--format', 'json'];
/** What a correct run says about a value the graph cannot read as meant: an error finding or an unknown verdict. */
const SAID = { exit: [0, 1], output: /"ruleId": "template-invalid"|"verdict": "unknown"/ } as const;
/** A wrong type the graph reads is one template-invalid finding at its line (an unknown verdict alone does not say which value is wrong). */
const INVALID = { exit: [1], output: /"ruleId": "template-invalid"/ } as const;
const LIMIT = { exit: [1], output: /limit-exceeded/ } as const;

export const fuzzFoundInputs: readonly HostileInput[] = [
  {
    name: 'fuzz: a public IP resource with "type" written twice (12, then the type)',
    files: mutated('examples/aks/main.json', ['resources', 0, 'type'], (at) => ({ k: 'duplicate', at, other: 0, first: false })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: 'fuzz: AKS agentPoolProfiles written as a string (the pool vanishes)',
    files: mutated('examples/aks/main.json', ['resources', 1, 'properties', 'agentPoolProfiles'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: 'fuzz: an AKS agent pool profile wrapped in an array (the pool vanishes)',
    files: mutated('examples/aks/main.json', ['resources', 1, 'properties', 'agentPoolProfiles', 0], (at) => ({ k: 'deepen', at, depth: 1, inArray: true })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: 'fuzz: resources written as an object outside languageVersion 2.0',
    files: mutated('examples/aks/main.json', undefined, () => ({ k: 'shape', what: 'resourcesObject', at: 0 })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a subnet's properties written as a string",
    files: mutated('fixtures/config/vm.json', ['resources', 0, 'properties', 'subnets', 0, 'properties'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a subnet's properties written twice (\"x\", then the object)",
    files: mutated('fixtures/config/vm.json', ['resources', 0, 'properties', 'subnets', 0, 'properties'], (at) => ({ k: 'duplicate', at, other: 0, first: false })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a public IP's publicIPAllocationMethod written as a number",
    files: mutated('fixtures/egress/route-nva-nic/main.json', ['resources', 2, 'properties', 'publicIPAllocationMethod'], (at) => ({ k: 'retype', at, to: 'number' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: an AKS agent pool's count written as a string",
    files: mutated('examples/aks/main.json', ['resources', 1, 'properties', 'agentPoolProfiles', 1, 'count'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a route table's disableBgpRoutePropagation written as a string",
    files: mutated('fixtures/egress/route-internal-lb-nva-pair/main.json', ['resources', 0, 'properties', 'disableBgpRoutePropagation'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: an AKS cluster's networkProfile written as an array",
    files: mutated('examples/aks/main.json', ['resources', 1, 'properties', 'networkProfile'], (at) => ({ k: 'retype', at, to: 'array' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a VM's type with a trailing space (the VM vanishes)",
    files: edited('fixtures/config/vm.json', ['resources', 3, 'type'], (t) => `${String(t)} `),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a public IP's name is string() of an array doubled 24 times",
    files: edited('examples/aks/main.json', ['resources', 0, 'name'], () => shareExpression({ builder: 0, consumer: 0, n: 24 })),
    args: ARGS,
    expect: LIMIT,
  },
  {
    // Over 10 s in the 30,000-case run on a machine at load 10-13; it stops at limit-exceeded in 0.7-1.5 s on a
    // quieter one (the nested map's lambda calls spend the budget): kept so bench:hostile times it.
    name: "fuzz: a public IP's name is json(string()) of a 4,107 × 4,107 nested map",
    files: edited('examples/aks/main.json', ['resources', 0, 'name'], () => shareExpression({ builder: 3, consumer: 7, n: 37 })),
    args: ARGS,
    expect: LIMIT,
  },
  {
    // The 200,000-case run of 2026-12-05 (bench/RESULTS.md): a 12.6-million-character text that json() parsed into
    // 4 million arrays inside the budget, 6-10 s of CPU and 860 MB; json() now pays one unit per character first.
    name: "fuzz: a public IP's name is json(string()) of an array doubled 21 times",
    files: edited('examples/aks/main.json', ['resources', 0, 'name'], () => shareExpression({ builder: 0, consumer: 7, n: 21 })),
    args: ARGS,
    expect: LIMIT,
  },
  {
    // Same run: a load balancer frontend's privateIPAddressVersion retyped (a corpus template; here a bundled one).
    name: "fuzz: a load balancer frontend's privateIPAddressVersion written as a number",
    files: edited('examples/multi-nic/main.json', ['resources', 3, 'properties', 'frontendIPConfigurations', 0, 'properties'], (p) => ({ ...(p as object), privateIPAddressVersion: 4 })),
    args: ARGS,
    expect: INVALID,
  },
  // The 30,000-case run with seed 202612100 (bench/RESULTS.md), each kind at its shrunk place in a bundled template.
  {
    name: "fuzz: a firewall's sku.tier written as a number (tier is not read for firewalls; Azure refuses it)",
    files: mutated('examples/hub-spoke/main.json', ['resources', 2, 'properties', 'sku', 'tier'], (at) => ({ k: 'retype', at, to: 'number' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a scale set's sku.capacity written as a string that is not a number",
    files: mutated('fixtures/egress/doa-flexible-scale-set/main.json', ['resources', 1, 'sku', 'capacity'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: 'fuzz: vnetSubnetID as a number in an inline AKS profile that a child agentPools resource replaces',
    files: mutated('fixtures/egress/aks-child-agent-pool/main.json', ['resources', 3, 'properties', 'agentPoolProfiles', 1, 'vnetSubnetID'], (at) => ({ k: 'retype', at, to: 'number' })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a secondary ipconfig's publicIPAddress wrapped in an object (a reference without an id)",
    files: mutated('fixtures/egress/dualstack-no-primary-flag/main.json', ['resources', 2, 'properties', 'ipConfigurations', 1, 'properties', 'publicIPAddress'], (at) => ({ k: 'deepen', at, depth: 1, inArray: false })),
    args: ARGS,
    expect: SAID,
  },
  {
    name: "fuzz: a secondary ipconfig's publicIPAddress id written as a number",
    files: edited('fixtures/egress/dualstack-no-primary-flag/main.json', ['resources', 2, 'properties', 'ipConfigurations', 1, 'properties', 'publicIPAddress', 'id'], () => 12),
    args: ARGS,
    expect: INVALID,
  },
  {
    name: 'fuzz: a loadBalancerBackendAddressPools entry wrapped in an array',
    files: mutated('examples/multi-nic/main.json', ['resources', 5, 'properties', 'ipConfigurations', 0, 'properties', 'loadBalancerBackendAddressPools', 0], (at) => ({ k: 'deepen', at, depth: 1, inArray: true })),
    args: ARGS,
    expect: INVALID,
  },
  {
    name: "fuzz: a hub route table route's destinationType written as a number",
    files: mutated('fixtures/egress/vwan-default-route-table/main.json', ['resources', 3, 'properties', 'routes', 0, 'destinationType'], (at) => ({ k: 'retype', at, to: 'number' })),
    args: ARGS,
    expect: SAID,
  },
  // The Virtual WAN and gateway readers, typed like the others (each fails on the readers that read with silent fallbacks).
  {
    name: "vwan: a routing intent policy's nextHop written as a number",
    files: mutated('fixtures/egress/vwan-firewall-addresses/main.json', ['resources', 3, 'properties', 'routingPolicies', 0, 'nextHop'], (at) => ({ k: 'retype', at, to: 'number' })),
    args: ARGS,
    expect: INVALID,
  },
  {
    name: "vwan: a hub connection's enableInternetSecurity written as a string that is not a Boolean",
    files: mutated('fixtures/egress/vwan-default-route-table/main.json', ['resources', 7, 'properties', 'enableInternetSecurity'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: INVALID,
  },
  {
    name: "gateways: a peering's useRemoteGateways written as a string that is not a Boolean",
    files: mutated('fixtures/egress/gateway-remote-gateways/main.json', ['resources', 5, 'properties', 'virtualNetworkPeerings', 0, 'properties', 'useRemoteGateways'], (at) => ({ k: 'retype', at, to: 'string' })),
    args: ARGS,
    expect: INVALID,
  },
  {
    name: "gateways: a gateway's gatewayDefaultSite wrapped in an object (a reference without an id)",
    files: mutated('fixtures/egress/gateway-default-site/main.json', ['resources', 6, 'properties', 'gatewayDefaultSite'], (at) => ({ k: 'deepen', at, depth: 1, inArray: false })),
    args: ARGS,
    expect: INVALID,
  },
];


