// The addresses an inventory gives the resources the templates deploy (engine/network/inventory-addresses.ts): matched by
// id, or by pattern where the template's id holds placeholders or the stand-in scope; what the JSON report, csv, the
// allowlist and the addresses-only list show; the lock file and egress-changed comparing addresses only where both
// sides know them. Through the CLI, as users run it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { SourceResource } from '../engine/index.js';
import { matchInventory as matchLookup } from '../engine/network/inventory-match.js';
import type { StandInScope } from '../engine/network/inventory-match.js';
import { resourceLookup } from '../engine/resources/lookup.js';
import { placeholder } from '../engine/expressions/placeholder.js';
import { CSV_HEADER } from '../api/formatters/csv.js';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const DIR = 'fixtures/inventory';
const TEMPLATE = `${DIR}/templates/nat-gateway-env.json`;
const PROD = ['-p', `${DIR}/templates/nat-gateway-env.prod.json`];
const S = '11111111-1111-1111-1111-111111111111';
const SCOPE = (rg: string): string[] => ['--subscription-id', S, '--resource-group', rg];
const inv = (...names: string[]): string[] => names.flatMap((n) => ['--inventory', n.includes('/') ? n : `${DIR}/${n}`]);
const PIP_ID = (rg: string, name: string): string => `/subscriptions/${S}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/${name}`;

interface JsonEgress {
  name: string;
  address: string | null;
  prefix: string | null;
  static: boolean;
}
interface JsonVm {
  name: string;
  verdict: string;
  egress: JsonEgress[];
  paths: { because: string[]; egress: JsonEgress[] }[];
}

async function vmOf(args: string[], cwd = root): Promise<JsonVm> {
  const r = await runCli([...args, '--format', 'json'], cwd);
  assert.ok(r.out.startsWith('{'), `no JSON report (exit ${r.code}): ${r.err}`);
  const vms = (JSON.parse(r.out) as { vms: JsonVm[] }).vms;
  assert.is(vms.length, 1);
  return vms[0];
}

const matchInventory = (targets: { key: string; type: string }[], entries: SourceResource[], standIns: StandInScope) => matchLookup(targets, resourceLookup(entries), standIns);

const addresses = (vm: JsonVm): (string | null)[][] => vm.egress.map((e) => [e.name, e.address, e.prefix]);

/** The rows of a CSV report as objects by header (no quoted commas in these fixtures' cells but the notes, which are last). */
function csvRows(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  assert.is(head, CSV_HEADER.join(','));
  return rows.map((row) => {
    const cells = row.split(',');
    const out: Record<string, string> = {};
    for (let i = 0; i < CSV_HEADER.length - 1; i++) out[CSV_HEADER[i]] = cells[i];
    out.address_note = cells.slice(CSV_HEADER.length - 1).join(',').replace(/^"|"$/g, '').replace(/""/g, '"');
    return out;
  });
}

const addressLines = (allowlist: string): string[] => allowlist.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

// ---- by id: what the firewall team gets --------------------------------------------------------------------------

const byId = suite('inventory addresses: by id');

byId('a template and an inventory: the addresses in the JSON report, csv, the allowlist and the addresses-only list', async () => {
  const args = [TEMPLATE, ...PROD, ...SCOPE('rg-prod')];
  const all = [...args, ...inv('env-public-ips.json', 'env-prefixes-graph.json')];
  // Without an inventory the addresses are known after deployment only.
  assert.equal(addresses(await vmOf(args)), [['ippre-nat-prod', null, null], ['pip-nat-prod', null, null]]);
  const vm = await vmOf(all);
  assert.is(vm.verdict, 'deterministic-set');
  assert.equal(addresses(vm), [['ippre-nat-prod', null, '203.0.113.128/30'], ['pip-nat-prod', '203.0.113.120', null]]);
  assert.ok(vm.paths[0].because.includes(`public IP 'pip-nat-prod' has address 203.0.113.120 (recorded in ${DIR}/env-public-ips.json)`), vm.paths[0].because.join('\n'));
  assert.ok(vm.paths[0].because.includes(`public IP prefix 'ippre-nat-prod' is 203.0.113.128/30 (recorded in ${DIR}/env-prefixes-graph.json)`), vm.paths[0].because.join('\n'));
  // The JSON report's egress entries keep the contract's fields, no more.
  for (const e of [...vm.egress, ...vm.paths[0].egress]) assert.equal(Object.keys(e), ['name', 'type', 'id', 'via', 'address', 'prefix', 'static']);

  const csv = csvRows((await runCli([...all, '--format', 'csv'], root)).out);
  assert.equal(
    csv.map((r) => [r.egress_name, r.address, r.prefix, r.address_note]),
    [
      ['ippre-nat-prod', '', '203.0.113.128/30', `public IP prefix 'ippre-nat-prod' is 203.0.113.128/30 (recorded in ${DIR}/env-prefixes-graph.json)`],
      ['pip-nat-prod', '203.0.113.120', '', `public IP 'pip-nat-prod' has address 203.0.113.120 (recorded in ${DIR}/env-public-ips.json)`],
    ],
  );
  const list = await runCli([...all, '--format', 'allowlist'], root);
  assert.equal(addressLines(list.out), ['203.0.113.120/32  # vm-app-prod via nat-gateway', '203.0.113.128/30  # vm-app-prod via nat-gateway']);
  assert.not.match(list.out, /address known after deployment/);

  // Only what a firewall takes: one address or CIDR per line, nothing else; whole, so exit 0 and nothing on stderr.
  const only = await runCli([...all, '--format', 'addresses'], root);
  assert.equal([only.out, only.err, only.code], ['203.0.113.120\n203.0.113.128/30\n', '', 0]);
});

byId('an address not known: a placeholder line in the allowlist, a note in csv, and a partial addresses-only list fails with what is missing', async () => {
  const args = [TEMPLATE, ...PROD, ...SCOPE('rg-prod'), ...inv('env-public-ips.json')];
  const list = await runCli([...args, '--format', 'allowlist'], root);
  assert.equal(addressLines(list.out), ['203.0.113.120/32  # vm-app-prod via nat-gateway']);
  assert.ok(list.out.includes(`# ippre-nat-prod: address known after deployment; vm-app-prod via nat-gateway; /subscriptions/${S}/resourceGroups/rg-prod/providers/Microsoft.Network/publicIPPrefixes/ippre-nat-prod\n`), list.out);
  const csv = csvRows((await runCli([...args, '--format', 'csv'], root)).out);
  assert.equal(csv.find((r) => r.egress_name === 'ippre-nat-prod')?.address_note, 'known after deployment');
  const only = await runCli([...args, '--format', 'addresses'], root);
  assert.is(only.out, '203.0.113.120\n');
  assert.is(only.code, 1, 'a partial list is never a silent success');
  assert.match(only.err, /^egress-lint: the address list is incomplete: 1 egress identity has no known address \(ippre-nat-prod\)\. --format allowlist says why for each/);
  // The same as a second report of the run: the note and the exit code too.
  const dir = scratchDir({});
  const both = await runCli([...args, '--format', 'json', '--report', `addresses=${join(dir, 'addresses.txt')}`], root);
  assert.is(both.code, 1);
  assert.is(readFileSync(join(dir, 'addresses.txt'), 'utf8'), '203.0.113.120\n');
  assert.match(both.err, /the address list is incomplete/);
  // A VM whose egress cannot be allow-listed is a gap too.
  const dynamic = await runCli([`${DIR}/templates/deploys-public-ip.json`, ...SCOPE('rg-shared'), ...inv('public-ip-list.json'), '--format', 'addresses'], root);
  assert.is(dynamic.out, '');
  assert.match(dynamic.err, /1 VM cannot be allow-listed \(vm-app \(non-deterministic\)\)/);
});

byId('an inventory entry without a usable address (PowerShell writes \'Not Assigned\' for an unassociated Dynamic IP) gives none, and says so', async () => {
  const pips = readFileSync(join(root, DIR, 'env-public-ips.json'), 'utf8').replace('"203.0.113.120"', '"Not Assigned"');
  const dir = scratchDir({ 'pips.json': pips });
  const vm = await vmOf([TEMPLATE, ...PROD, ...SCOPE('rg-prod'), ...inv(join(dir, 'pips.json'))]);
  assert.equal(addresses(vm)[1], ['pip-nat-prod', null, null]);
  assert.match(vm.paths[0].because.join('\n'), /the inventory \([^)]*pips\.json\) records public IP 'pip-nat-prod' with 'Not Assigned', which is not an IPv4 address/);
});

byId('a prefix of another length than the template asks for is another prefix: not taken', async () => {
  const text = readFileSync(join(root, TEMPLATE), 'utf8').replace('"prefixLength": 30', '"prefixLength": 28');
  const dir = scratchDir({ 'main.json': text, 'prod.json': readFileSync(join(root, DIR, 'templates/nat-gateway-env.prod.json'), 'utf8') });
  const vm = await vmOf(['main.json', '-p', 'prod.json', ...SCOPE('rg-prod'), ...inv(join(root, DIR, 'env-prefixes-graph.json'))], dir);
  assert.equal(addresses(vm)[0], ['ippre-nat-prod', null, null]);
  assert.match(vm.paths[0].because.join('\n'), /records public IP prefix 'ippre-nat-prod' as 203\.0\.113\.128\/30, a \/30, and the template asks for a \/28: that is another prefix/);
});

byId.run();

// ---- by pattern: placeholders and the stand-in scope -----------------------------------------------------------

const byPattern = suite('inventory addresses: placeholders in the id');

byPattern('matchInventory: a placeholder matches any text within a segment, the same placeholder the same text', () => {
  const env = placeholder('env');
  const entry = (rg: string, name: string): SourceResource => {
    const id = PIP_ID(rg, name);
    return { id, key: id.toLowerCase(), type: 'Microsoft.Network/publicIPAddresses', name, apiVersion: '', condition: true, existing: false, body: {}, properties: null, at: { file: 'i.json', pointer: '' }, deployments: [] };
  };
  const target = { key: PIP_ID(`rg-${env}`, `pip-${env}`).toLowerCase(), type: 'Microsoft.Network/publicIPAddresses' };
  const one = matchInventory([target], [entry('rg-prod', 'pip-dev'), entry('rg-prod', 'pip-prod'), entry('rg-prod', 'pip-prod/x')], {});
  assert.is(one[0].kind, 'pattern');
  if (one[0].kind === 'pattern') {
    assert.is(one[0].entry.name, 'pip-prod');
    assert.equal(one[0].values, [['{env}', 'prod']]);
  }
  assert.is(matchInventory([target], [entry('rg-prod', 'pip-prod'), entry('rg-dev', 'pip-dev')], {})[0].kind, 'ambiguous');
  assert.is(matchInventory([target], [entry('rg-prod', 'pip-dev')], {})[0].kind, 'none');
  // A name that is only placeholders says nothing of which entry it is: the one public IP of another deployment
  // would fit it, so nothing does.
  const bare = { key: PIP_ID(`rg-${env}`, env).toLowerCase(), type: 'Microsoft.Network/publicIPAddresses' };
  assert.is(matchInventory([bare], [entry('rg-prod', 'pip-prod')], {})[0].kind, 'none');
  const twoPlaceholders = { key: PIP_ID('rg-prod', `${env}${placeholder('n')}`).toLowerCase(), type: 'Microsoft.Network/publicIPAddresses' };
  assert.is(matchInventory([twoPlaceholders], [entry('rg-prod', 'pip-prod')], {})[0].kind, 'none');
  assert.is(matchInventory([{ key: PIP_ID('rg-prod', `${env}-pip`).toLowerCase(), type: 'Microsoft.Network/publicIPAddresses' }], [entry('rg-prod', 'prod-pip')], {})[0].kind, 'pattern');
  // An exact id matches itself only, case-insensitively; the stand-in scope matches any subscription or resource group.
  const exact = { key: PIP_ID('rg-prod', 'pip-prod').toLowerCase().replace(S, '00000000-0000-0000-0000-000000000000').replace('rg-prod', 'resource-group'), type: 'Microsoft.Network/publicIPAddresses' };
  assert.is(matchInventory([exact], [entry('rg-prod', 'pip-prod')], {})[0].kind, 'none');
  assert.is(matchInventory([exact], [entry('rg-prod', 'pip-prod')], { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'resource-group' })[0].kind, 'pattern');
  assert.is(matchInventory([exact], [entry('rg-prod', 'pip-prod')], { subscriptionId: '00000000-0000-0000-0000-000000000000' })[0].kind, 'none', 'a resource group given is compared');
});

byPattern('no parameter value and no scope: the one entry that fits gives the address, and the other resources of the template narrow the rest', async () => {
  const vm = await vmOf([TEMPLATE, ...inv('env-public-ips.json', 'env-prefixes-graph.json')]);
  assert.is(vm.name, 'vm-app-{env}');
  // ippre-nat-{env} fits one entry only (env 'prod', resource group 'rg-prod'); pip-nat-{env} fits two, of which the
  // prod one agrees with it.
  assert.equal(addresses(vm), [['ippre-nat-{env}', null, '203.0.113.128/30'], ['pip-nat-{env}', '203.0.113.120', null]]);
  const because = vm.paths[0].because.join('\n');
  assert.match(because, /public IP prefix 'ippre-nat-\{env\}' is 203\.0\.113\.128\/30 \(recorded in fixtures\/inventory\/env-prefixes-graph\.json as '[^']*\/ippre-nat-prod', the one entry that fits \(\{env\} = 'prod'; no --subscription-id or --resource-group given\)\)/);
  assert.match(because, /public IP 'pip-nat-\{env\}' has address 203\.0\.113\.120 \(recorded in fixtures\/inventory\/env-public-ips\.json as '[^']*\/rg-prod\/[^']*\/pip-nat-prod', the one entry that fits with the values the template's other resources give/);
});

byPattern('two entries fit and nothing tells them apart: ambiguous, no address, and every output says why', async () => {
  const args = [TEMPLATE, ...inv('env-public-ips.json')];
  const vm = await vmOf(args);
  assert.equal(addresses(vm), [['ippre-nat-{env}', null, null], ['pip-nat-{env}', null, null]]);
  const why = `the inventory has 2 entries that fit public IP 'pip-nat-{env}' ('${PIP_ID('rg-dev', 'pip-nat-dev')}', '${PIP_ID('rg-prod', 'pip-nat-prod')}'), so no address is taken from them; give the parameters values or the deployment scope (--subscription-id, --resource-group) to tell them apart`;
  assert.ok(vm.paths[0].because.includes(why), vm.paths[0].because.join('\n'));
  const list = await runCli([...args, '--format', 'allowlist'], root);
  assert.equal(addressLines(list.out), []);
  assert.ok(list.out.includes(`# pip-nat-{env}: address not known: ${why}; vm-app-{env} via nat-gateway; `), list.out);
  const csv = csvRows((await runCli([...args, '--format', 'csv'], root)).out);
  assert.is(csv.find((r) => r.egress_name === 'pip-nat-{env}')?.address_note, why);
  // The parameter's value decides it.
  assert.equal(addresses(await vmOf([TEMPLATE, ...PROD, ...inv('env-public-ips.json')]))[1], ['pip-nat-prod', '203.0.113.120', null]);
});

byPattern('entries that give one placeholder two values in one template are not one deployment: no address', async () => {
  const pips = JSON.parse(readFileSync(join(root, DIR, 'env-public-ips.json'), 'utf8')) as { name: string }[];
  const dir = scratchDir({ 'pips.json': JSON.stringify(pips.filter((p) => p.name === 'pip-nat-dev'), null, 2) });
  const vm = await vmOf([TEMPLATE, ...inv(join(dir, 'pips.json'), 'env-prefixes-graph.json')]);
  assert.equal(addresses(vm), [['ippre-nat-{env}', null, null], ['pip-nat-{env}', null, null]]);
  const because = vm.paths[0].because.join('\n');
  // Each entry fits on its own; together they put the template in two resource groups with two values of {env}.
  assert.match(because, /the inventory entries that fit public IP 'pip-nat-\{env\}' and the template's other resources give \{resourceGroup\} \('rg-dev', 'rg-prod'\) and \{env\} \('dev', 'prod'\) different values: they are not one deployment, so no address is taken from them/);
  assert.match(because, /the inventory entries that fit public IP prefix 'ippre-nat-\{env\}' and the template's other resources give \{resourceGroup\} \('rg-dev', 'rg-prod'\) and \{env\} \('dev', 'prod'\) different values/);
});

byPattern('a scope that is given is compared: an inventory of another resource group gives nothing', async () => {
  assert.equal(addresses(await vmOf([TEMPLATE, ...PROD, ...SCOPE('rg-other'), ...inv('env-public-ips.json')])), [['ippre-nat-prod', null, null], ['pip-nat-prod', null, null]]);
  // No scope given: the stand-in resource group fits rg-prod.
  assert.equal(addresses(await vmOf([TEMPLATE, ...PROD, ...inv('env-public-ips.json')])), [['ippre-nat-prod', null, null], ['pip-nat-prod', '203.0.113.120', null]]);
});

byPattern.run();

// ---- addresses Azure assigns: a hub firewall, AKS --------------------------------------------------------------

const assigned = suite('inventory addresses: a hub firewall and AKS');

const HUB_FW = (addresses: string[]): string =>
  JSON.stringify({
    hubIPAddresses: { privateIPAddress: '10.100.64.4', publicIPs: { addresses: addresses.map((address) => ({ address })), count: addresses.length } },
    id: '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/fw-hub',
    ipConfigurations: [],
    location: 'westeurope',
    name: 'fw-hub',
    resourceGroup: 'rg-hub',
    sku: { name: 'AZFW_Hub', tier: 'Standard' },
    type: 'Microsoft.Network/azureFirewalls',
  });

assigned('a firewall the template deploys in a virtual hub: the addresses Azure gave it, when the inventory has as many as the template asks for', async () => {
  const template = 'fixtures/egress/vwan-routing-intent-firewall/main.json';
  const dir = scratchDir({ 'one.json': HUB_FW(['198.51.100.77']), 'two.json': HUB_FW(['198.51.100.77', '198.51.100.78']) });
  const before = await vmOf([template]);
  assert.is(before.verdict, 'unknown');
  const vm = await vmOf([template, ...inv(join(dir, 'one.json'))]);
  assert.is(vm.verdict, 'deterministic');
  assert.equal(addresses(vm), [['fw-hub-public-ip-1', '198.51.100.77', null]]);
  // Two recorded, one asked for: which one Azure keeps is not in the files.
  const other = await vmOf([template, ...inv(join(dir, 'two.json'))]);
  assert.is(other.verdict, 'unknown');
  assert.equal(addresses(other), [['fw-hub-public-ip-1', null, null]]);
  assert.match(other.paths[0].because.join('\n'), /the public IPs of firewall 'fw-hub' are not taken from the inventory: it records 2 addresses \([^)]*two\.json\), and the template asks for 1/);
});

assigned('the outbound IPs AKS creates: the cluster\'s effectiveOutboundIPs and the node resource group\'s public IPs give them, in address order', async () => {
  const template = 'fixtures/egress/aks-lb-managed-ips-two/main.json';
  const args = [template, ...SCOPE('rg-app')];
  const vm = await vmOf([...args, ...inv('aks-managed-ips-show.json', 'aks-node-rg-public-ips.json')]);
  assert.is(vm.verdict, 'deterministic-set');
  assert.equal(addresses(vm), [['aks1-managed-outbound-1', '203.0.113.9', null], ['aks1-managed-outbound-2', '203.0.113.61', null]]);
  assert.ok(vm.paths[0].because.includes(`the outbound IPs AKS created for the load balancer of cluster 'aks1' are 203.0.113.9, 203.0.113.61 (recorded in ${DIR}/aks-managed-ips-show.json, their addresses in ${DIR}/aks-node-rg-public-ips.json; AKS does not say which is which)`), vm.paths[0].because.join('\n'));
  const list = await runCli([...args, ...inv('aks-managed-ips-show.json', 'aks-node-rg-public-ips.json'), '--format', 'addresses'], root);
  assert.equal([list.out, list.code], ['203.0.113.9\n203.0.113.61\n', 0]);
  // The cluster alone names the IPs, not their addresses.
  const named = await vmOf([...args, ...inv('aks-managed-ips-show.json')]);
  assert.equal(addresses(named), [['aks1-managed-outbound-1', null, null], ['aks1-managed-outbound-2', null, null]]);
  assert.match(named.paths[0].because.join('\n'), /records the cluster's 2 \([^)]*\) but not the address of '[^']*\/MC_rg-app_aks1_westeurope\/[^']*', '[^']*'; add the public IPs of the cluster's node resource group/);
  // A template that asks for another count: the addresses after deployment are not these.
  const three = readFileSync(join(root, template), 'utf8').replace('"count": 2', '"count": 3');
  const dir = scratchDir({ 'main.json': three });
  const more = await vmOf(['main.json', ...SCOPE('rg-app'), ...inv(join(root, DIR, 'aks-managed-ips-show.json'), join(root, DIR, 'aks-node-rg-public-ips.json'))], dir);
  assert.equal(more.egress.map((e) => e.address), [null, null, null]);
  assert.match(more.paths[0].because.join('\n'), /are not taken from the inventory: it records 2 \([^)]*\), and the template asks for 3/);
});

assigned('Terraform JSON given as an inventory is refused, naming what to use instead', async () => {
  const dir = scratchDir({ 'state.json': JSON.stringify({ format_version: '1.0', terraform_version: '1.9.0', values: { root_module: { resources: [] } } }) });
  const r = await runCli([TEMPLATE, '--inventory', join(dir, 'state.json')], root);
  assert.is(r.code, 2);
  assert.match(r.err, /state\.json:1:1: The file is Terraform JSON \(terraform show -json\), which egress-lint does not read as an inventory yet: lint the plan or state itself \(egress-lint state\.json\), or list the deployed resources with the az CLI/);
});

assigned.run();

// ---- the lock file and egress-changed --------------------------------------------------------------------------

const lock = suite('inventory addresses: the lock file and egress-changed');

lock('an address becoming known is recorded, not a change; a known address that moves is; one not known this time is kept', async () => {
  const template = readFileSync(join(root, TEMPLATE), 'utf8').replace('"env": {\n      "type": "string"\n    }', '"env": {\n      "type": "string",\n      "defaultValue": "prod"\n    }');
  assert.ok(template.includes('"defaultValue": "prod"'));
  const pips = readFileSync(join(root, DIR, 'env-public-ips.json'), 'utf8');
  const dir = scratchDir({ 'infra/main.json': template, 'inventory/pips.json': pips, 'inventory/moved.json': pips.replace('203.0.113.120', '203.0.113.99'), 'egress-lint.config.json': JSON.stringify({ scope: { subscriptionId: S, resourceGroup: 'rg-prod' } }) }, true);
  const lockText = (): string => readFileSync(join(dir, 'egress.lock.json'), 'utf8');
  const pip = `${PIP_ID('rg-prod', 'pip-nat-prod')}`;

  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  assert.ok(lockText().includes(`"${pip}"`), lockText());
  // With the inventory the address is known: no egress change against the lock written without it.
  const run = await runCli(['infra', '--lock', 'egress.lock.json', '--inventory', 'inventory/pips.json', '--format', 'json'], dir);
  assert.equal((JSON.parse(run.out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId), ['multiple-egress-ips']);
  assert.is(run.code, 0);
  // `lock` with the inventory records it, and says so.
  const recorded = await runCli(['lock', 'infra', '--inventory', 'inventory/pips.json'], dir);
  assert.match(recorded.out, /Addresses known now, not in the previous egress\.lock\.json \(recorded; no egress change\): vm-app-prod: pip-nat-prod \(203\.0\.113\.120\)\.\nNo egress changed since the previous egress\.lock\.json\./);
  assert.ok(lockText().includes(`"${pip} (203.0.113.120)"`), lockText());
  // `lock` without it keeps the address the firewall was told about.
  const kept = await runCli(['lock', 'infra'], dir);
  assert.match(kept.out, /Addresses this run does not know, kept from the previous egress\.lock\.json: vm-app-prod: pip-nat-prod \(203\.0\.113\.120\)\./);
  assert.ok(lockText().includes(`"${pip} (203.0.113.120)"`), lockText());
  assert.is((await runCli(['infra', '--lock', 'egress.lock.json'], dir)).code, 0, 'not known this time: no change');
  // The same public IP with another address is a change.
  const moved = await runCli(['infra', '--lock', 'egress.lock.json', '--inventory', 'inventory/moved.json', '--format', 'json'], dir);
  assert.is(moved.code, 1);
  const messages = (JSON.parse(moved.out) as { findings: { ruleId: string; message: string }[] }).findings.filter((f) => f.ruleId === 'egress-changed').map((f) => f.message);
  assert.equal(messages, ["The egress of 'vm-app-prod' differs from egress.lock.json: pip-nat-prod 203.0.113.120 → 203.0.113.99."]);
  writeFileSync(join(dir, 'unused.txt'), '');
});

lock.run();
