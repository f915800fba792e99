// Lint's 'egress' evaluation mode: the bodies the network graph reads are evaluated, the rest only checked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { expand } from '../engine/expansion/expand.js';
import { GRAPH_READS } from '../engine/network/reads.js';
import { Unknown, getProp } from '../engine/expressions/value.js';
import type { ValueObject } from '../engine/expressions/value.js';
import { loadTemplate } from '../engine/template/template.js';

const mode = suite('egress evaluation mode');

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function template(resources: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...extra, resources });
}

const storage = (props: Record<string, unknown>, metadata?: unknown) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name: 'st1',
  location: 'westeurope',
  ...(metadata ? { metadata } : {}),
  properties: props,
});
const pip = { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2023-09-01', name: 'pip1', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: "[concat('Sta', 'tic')]" } };

mode('the graph names the types it reads only through GRAPH_TYPES (so GRAPH_READS lists them all)', () => {
  // graph.ts and its readers (read-*.ts); reads.ts is where GRAPH_TYPES is written.
  const dir = new URL('../engine/network/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f === 'graph.ts' || f.startsWith('read-'));
  assert.ok(files.includes('read-nics-and-vms.ts'));
  const graphSource = files.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
  assert.equal([...graphSource.matchAll(/'microsoft\.[a-z]+\/[a-z/]+'/g)].map((m) => m[0]), []);
  assert.ok(GRAPH_READS.types.has('microsoft.network/networkinterfaces'));
});

mode('nested deployments are evaluated in egress mode: they hold more resources', () => {
  const nested = { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'inner', properties: { mode: 'Incremental', expressionEvaluationOptions: { scope: 'inner' }, template: JSON.parse(template([pip])) } };
  const d = expand(loadTemplate('t.json', template([nested])), { evaluate: GRAPH_READS });
  const p = d.resources.find((r) => r.name === 'pip1')!;
  assert.is(getProp(p.properties as ValueObject, 'publicIPAllocationMethod'), 'Static');
});

mode('graph types are evaluated, other bodies are partial', () => {
  const d = expand(loadTemplate('t.json', template([pip, storage({ x: "[concat('a', 'b')]" })])), { evaluate: GRAPH_READS });
  const p = d.resources.find((r) => r.name === 'pip1')!;
  const s = d.resources.find((r) => r.name === 'st1')!;
  assert.is(getProp(p.properties as ValueObject, 'publicIPAllocationMethod'), 'Static');
  assert.is(p.partial, undefined);
  assert.is(s.partial, true);
  assert.is(s.properties, null);
  assert.is(getProp(s.body, 'name'), 'st1');
  // The default mode evaluates everything.
  const all = expand(loadTemplate('t.json', template([pip, storage({ x: "[concat('a', 'b')]" })])));
  assert.is(getProp(all.resources.find((r) => r.name === 'st1')!.properties as ValueObject, 'x'), 'ab');
});

mode('mistakes found without evaluating are still findings, at the same place and with the same words', () => {
  const text = template(
    [
      storage({
        a: "[concat('a',]",
        b: "[noSuchFunction('x')]",
        c: "[variables('missing')]",
        d: "[parameters('missing')]",
        e: "[concat()]",
        f: "[ns.fn('x')]",
        ok: "[variables('v')]",
      }),
    ],
    { variables: { v: 'x', unused: "[toLower(1, 2)]" } },
  );
  const messages = (evaluate: 'all' | 'egress') =>
    expand(loadTemplate('t.json', text), { evaluate: evaluate === 'all' ? 'all' : GRAPH_READS })
      .findings.map((f) => `${f.ruleId} ${f.at.pointer} ${f.message}`)
      .sort();
  const egress = messages('egress');
  for (const at of ['a', 'b', 'c', 'd', 'e', 'f']) assert.ok(egress.some((m) => m.includes(`/resources/0/properties/${at} `)), `no finding at ${at}:\n${egress.join('\n')}`);
  assert.ok(egress.some((m) => m.startsWith('expression-invalid /variables/unused ')), 'unused variable with a wrong argument count');
  assert.ok(!egress.some((m) => m.includes('/properties/ok')));
  // Each of these is also what full evaluation reports.
  assert.equal(egress, messages('all'));
});

mode('runtime errors outside the graph are not evaluated; inside it they are', () => {
  const bad = "[int('x')]";
  const d = expand(loadTemplate('t.json', template([storage({ n: bad }), { ...pip, tags: { n: bad } }])), { evaluate: GRAPH_READS });
  const pointers = d.findings.map((f) => f.at.pointer);
  assert.ok(pointers.includes('/resources/1/tags/n'), pointers.join(', '));
  assert.not.ok(pointers.includes('/resources/0/properties/n'), pointers.join(', '));
});

mode('a resource outside the graph that a graph resource reads is evaluated on demand', () => {
  const nic = {
    type: 'Microsoft.Network/networkInterfaces',
    apiVersion: '2023-09-01',
    name: 'nic1',
    location: 'westeurope',
    properties: { ipConfigurations: [{ name: 'ipc', properties: { privateIPAddress: "[reference('st1').primaryEndpoints.blob]" } }] },
  };
  const d = expand(loadTemplate('t.json', template([storage({ primaryEndpoints: { blob: '10.0.0.9' } }), nic])), { evaluate: GRAPH_READS });
  const n = d.resources.find((r) => r.name === 'nic1')!;
  const ipc = (getProp(n.properties as ValueObject, 'ipConfigurations') as ValueObject[])[0];
  assert.is(getProp(getProp(ipc, 'properties') as ValueObject, 'privateIPAddress'), '10.0.0.9');
  // Evaluated because it was read: a whole body, not a partial one.
  assert.is(d.resources.find((r) => r.name === 'st1')!.partial, undefined);
});

mode('suppressions in the metadata of a partial resource still work', () => {
  const meta = { 'egress-lint': { suppress: [{ rule: 'expression-invalid', reason: "[concat('known', ' issue')]" }] } };
  const d = expand(loadTemplate('t.json', template([storage({ a: "[nope()]" }, meta)])), { evaluate: GRAPH_READS });
  const s = d.resources[0];
  assert.is(s.partial, true);
  const m = getProp(s.body, 'metadata') as ValueObject;
  const list = getProp(getProp(m, 'egress-lint') as ValueObject, 'suppress') as ValueObject[];
  assert.is(getProp(list[0], 'reason'), 'known issue');
});

const vmNic = (name: string) => ({
  type: 'Microsoft.Network/networkInterfaces',
  apiVersion: '2023-09-01',
  name,
  location: 'westeurope',
  properties: { ipConfigurations: [{ name: 'ipc', properties: { primary: true, subnet: { id: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/a' } } }] },
});
const vmWith = (properties: Record<string, unknown>, type = 'Microsoft.Compute/virtualMachines') => ({ type, apiVersion: '2023-09-01', name: 'vm1', location: 'westeurope', properties });

mode("a VM's settings that do not decide egress are checked, not evaluated", () => {
  const properties = {
    hardwareProfile: { vmSize: "[int('x')]" },
    osProfile: { computerName: "[concat('vm', )]", customData: "[base64(variables('script'))]" },
    storageProfile: { dataDisks: [{ lun: "[noSuchFunction()]" }] },
    networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', concat('ni', 'c1'))]" }] },
    availabilitySet: { id: "[resourceId('Microsoft.Compute/availabilitySets', 'as1')]" },
  };
  const text = template([vmNic('nic1'), vmWith(properties)], { variables: { script: "[concat('echo ', 'hi')]" } });
  const d = expand(loadTemplate('t.json', text), { evaluate: GRAPH_READS });
  const vm = d.resources.find((r) => r.name === 'vm1')!;
  const props = vm.properties as ValueObject;
  // What the graph reads is evaluated.
  const nis = getProp(getProp(props, 'networkProfile') as ValueObject, 'networkInterfaces') as ValueObject[];
  assert.ok(String(getProp(nis[0], 'id')).endsWith('/networkInterfaces/nic1'));
  assert.ok(String(getProp(getProp(props, 'availabilitySet') as ValueObject, 'id')).endsWith('/availabilitySets/as1'));
  // The rest stands as an unknown that says why.
  const os = getProp(props, 'osProfile');
  assert.ok(os instanceof Unknown && os.cause === 'skipped', String(os));
  // Mistakes in it are still found by checking (syntax, function names); a runtime error (int('x')) is not.
  const pointers = d.findings.map((f) => f.at.pointer).sort();
  assert.equal(pointers, ['/resources/1/properties/osProfile/computerName', '/resources/1/properties/storageProfile/dataDisks/0/lun']);
  // Full evaluation reports all three, and the variable only the skipped setting used is evaluated there.
  const all = expand(loadTemplate('t.json', text));
  assert.equal(all.findings.map((f) => f.at.pointer).sort(), ['/resources/1/properties/hardwareProfile/vmSize', ...pointers].sort());
  assert.is(getProp(getProp(all.resources[1].properties as ValueObject, 'osProfile') as ValueObject, 'customData'), Buffer.from('echo hi').toString('base64'));
});

mode("a scale set's profile keeps its network profile evaluated, and reference() to a VM sees every setting", () => {
  const vmss = vmWith(
    {
      orchestrationMode: "[concat('Flex', 'ible')]",
      virtualMachineProfile: { osProfile: { computerNamePrefix: "[concat('a', 'b')]" }, networkProfile: { networkInterfaceConfigurations: [{ name: "[concat('c', 'fg')]" }] } },
    },
    'Microsoft.Compute/virtualMachineScaleSets',
  );
  const reader = { ...vmNic('nic2'), tags: { computer: "[reference('vm1').osProfile.computerName]" } };
  const vm = { ...vmWith({ osProfile: { computerName: "[concat('host', '1')]" }, networkProfile: {} }), name: 'vm1' };
  const d = expand(loadTemplate('t.json', template([{ ...vmss, name: 'ss1' }, vm, reader])), { evaluate: GRAPH_READS });
  const ss = d.resources.find((r) => r.name === 'ss1')!.properties as ValueObject;
  assert.is(getProp(ss, 'orchestrationMode'), 'Flexible');
  const profile = getProp(ss, 'virtualMachineProfile') as ValueObject;
  const configs = getProp(getProp(profile, 'networkProfile') as ValueObject, 'networkInterfaceConfigurations') as ValueObject[];
  assert.is(getProp(configs[0], 'name'), 'cfg');
  assert.ok(getProp(profile, 'osProfile') instanceof Unknown);
  // reference('vm1') needed the OS profile: it was evaluated then, in the body too, and is not checked twice.
  const tags = getProp(d.resources.find((r) => r.name === 'nic2')!.body, 'tags') as ValueObject;
  assert.is(getProp(tags, 'computer'), 'host1');
  const vmProps = d.resources.find((r) => r.name === 'vm1')!.properties as ValueObject;
  assert.is(getProp(getProp(vmProps, 'osProfile') as ValueObject, 'computerName'), 'host1');
  assert.equal(d.findings, []);
});

mode('the VM settings evaluated in egress mode are the ones the graph reads', () => {
  // readVm in engine/network/read-nics-and-vms.ts reads these properties; a setting added there must be added here.
  const vmReads = GRAPH_READS.partialProperties.get('microsoft.compute/virtualmachines')!;
  assert.equal([...vmReads.keys()].sort(), ['availabilityset', 'networkprofile', 'orchestrationmode', 'virtualmachineprofile', 'virtualmachinescaleset']);
  assert.equal([...(vmReads.get('virtualmachineprofile') as ReadonlySet<string>)], ['networkprofile']);
  assert.is(GRAPH_READS.partialProperties.get('microsoft.compute/virtualmachinescalesets'), vmReads);
  const graphSource = readFileSync(new URL('../engine/network/read-nics-and-vms.ts', import.meta.url), 'utf8');
  const fn = graphSource.slice(graphSource.indexOf('function readVm('), graphSource.indexOf('\n}\n', graphSource.indexOf('function readVm(')));
  // Every path readVm reads under the body's `properties`, through prop(), the typed readers (read-typed.ts) or a path list.
  const read = new Set([...fn.matchAll(/(?:r\.body(?:, r\.at)?, |\[)'properties', '([A-Za-z]+)'/g)].map((m) => m[1].toLowerCase()));
  assert.equal([...read].sort(), ['availabilityset', 'networkprofile', 'orchestrationmode', 'virtualmachineprofile', 'virtualmachinescaleset']);
});

mode('the AKS cluster settings evaluated in egress mode are the ones the graph reads', () => {
  // read-aks.ts reads a cluster's network profile and agent pool profiles; a setting added there must be added here.
  const reads = GRAPH_READS.partialProperties.get('microsoft.containerservice/managedclusters')!;
  assert.equal([...reads.keys()].sort(), ['agentpoolprofiles', 'networkprofile']);
  const source = readFileSync(new URL('../engine/network/read-aks.ts', import.meta.url), 'utf8');
  const read = new Set([...source.matchAll(/(?:prop\(|typed\(this\.g, '[a-z]+', |arrayAt\(this\.g, )(?:c\.)?r\.body, (?:(?:c\.)?r\.at, )?'properties', '([A-Za-z]+)'/g)].map((m) => m[1].toLowerCase()));
  assert.equal([...read].sort(), ['agentpoolprofiles', 'networkprofile']);
  // A child agent pool's body is small and read whole.
  assert.ok(GRAPH_READS.types.has('microsoft.containerservice/managedclusters/agentpools'));
  assert.is(GRAPH_READS.partialProperties.get('microsoft.containerservice/managedclusters/agentpools'), undefined);
  const cluster = {
    type: 'Microsoft.ContainerService/managedClusters',
    apiVersion: '2024-09-01',
    name: 'aks1',
    location: 'westeurope',
    properties: {
      dnsPrefix: "[concat('aks', '1')]",
      addonProfiles: { omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: "[int('x')]" } } },
      agentPoolProfiles: [{ name: "[concat('sys', 'tem')]", count: 3 }],
      networkProfile: { outboundType: "[concat('none', '')]" },
    },
  };
  const d = expand(loadTemplate('t.json', template([cluster])), { evaluate: GRAPH_READS });
  const props = d.resources[0].properties as ValueObject;
  assert.is(getProp(getProp(props, 'networkProfile') as ValueObject, 'outboundType'), 'none');
  assert.is(getProp((getProp(props, 'agentPoolProfiles') as ValueObject[])[0], 'name'), 'system');
  assert.ok(getProp(props, 'addonProfiles') instanceof Unknown);
  // The runtime error in a setting that decides nothing about egress is not evaluated, so not reported.
  assert.equal(d.findings, []);
});

mode('limits the check-only pass sees are the ones evaluation reports: an output copy count, a value nested too deeply', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 300; i++) deep = { a: deep };
  const text = template([pip], { variables: { unused: deep }, outputs: { many: { type: 'array', copy: { count: 801, input: "[copyIndex()]" } } } });
  const messages = (evaluate: 'all' | 'egress') =>
    expand(loadTemplate('t.json', text), { evaluate: evaluate === 'all' ? 'all' : GRAPH_READS })
      .findings.map((f) => `${f.ruleId} ${f.message}`)
      .sort();
  const egress = messages('egress');
  assert.equal(egress, ['limit-exceeded The copy count is 801; ARM accepts at most 800.', 'limit-exceeded The value nests too deeply to evaluate.']);
  assert.equal(egress, messages('all'));
});

mode.run();

const stopped = suite('expansion stopped by a safety cap');

stopped('resources registered but not evaluated are unknown, never schema defaults', async () => {
  const { lintDocument } = await import('../engine/lint/pipeline.js');
  const { rules } = await import('../rules/index.js');
  const nic = {
    type: 'Microsoft.Network/networkInterfaces',
    apiVersion: '2023-09-01',
    name: 'nic1',
    location: 'westeurope',
    properties: {
      ipConfigurations: [
        {
          name: 'ipc',
          properties: {
            primary: true,
            subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]" },
            publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip1')]" },
          },
        },
      ],
    },
  };
  const vnet = {
    type: 'Microsoft.Network/virtualNetworks',
    apiVersion: '2023-09-01',
    name: 'vnet1',
    location: 'westeurope',
    properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24' } }] },
  };
  const vm = {
    type: 'Microsoft.Compute/virtualMachines',
    apiVersion: '2023-09-01',
    name: 'vm1',
    location: 'westeurope',
    properties: { networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]" }] } },
  };
  const many = { ...storage({}), name: "[concat('st', copyIndex())]", copy: { name: 'many', count: 50 } };
  const text = template([vnet, pip, nic, vm, many]);
  const r = lintDocument({ file: 't.json', text }, { rules, caps: { totalResources: 10 } });
  const ids = r.findings.map((f) => f.ruleId);
  assert.ok(ids.includes('limit-exceeded'), ids.join(', '));
  // An empty body would read as a Basic, Dynamic public IP: retired-sku and dynamic-public-ip would be false errors.
  assert.not.ok(ids.includes('retired-sku'), ids.join(', '));
  assert.not.ok(ids.includes('dynamic-public-ip'), ids.join(', '));
  assert.equal(r.vms.map((v) => [v.name, v.verdict]), [['vm1', 'unknown']]);
  // Without the cap the same template is fully analysed.
  const full = lintDocument({ file: 't.json', text }, { rules });
  assert.equal(full.vms.map((v) => [v.name, v.verdict]), [['vm1', 'deterministic']]);
});

stopped.run();

const types = suite('wrong types where the graph reads');

types('properties that are not an object are template-invalid, not read as absent', () => {
  const nic = { type: 'Microsoft.Network/networkInterfaces', apiVersion: '2023-09-01', name: 'nic1', location: 'westeurope', properties: 7 };
  const d = expand(loadTemplate('t.json', template([nic, { ...storage({}), properties: ['x'] }])), { evaluate: GRAPH_READS });
  const got = d.findings.map((f) => `${f.ruleId} ${f.at.pointer} ${f.message}`);
  assert.ok(got.includes("template-invalid /resources/0/properties The properties of 'nic1' must be an object, not a number."), got.join('\n'));
  // The same check in full evaluation, for every resource.
  const all = expand(loadTemplate('t.json', template([nic, { ...storage({}), properties: ['x'] }]))).findings.map((f) => f.message);
  assert.ok(all.includes("The properties of 'st1' must be an object, not an array."), all.join('\n'));
});

types.run();
