// Findings about azurerm resources speak Terraform: the CLI's text (stylish) and SARIF output of a plan name the
// azurerm attribute (default_outbound_access_enabled = false) where a template's name ARM's property
// (defaultOutboundAccess: false), which the ARM twin keeps; an azapi_resource's body is ARM's, so its words stay.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { Wording } from '../engine/terraform/wording.js';
import { capture } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;

async function run(args: string[]): Promise<string> {
  const c = capture(root);
  const code = await main(args, c.io);
  assert.ok(code === 0 || code === 1, `${args.join(' ')}: exit ${code}: ${c.err()}`);
  return c.out();
}

/** The messages of a SARIF log. */
async function sarifMessages(file: string): Promise<string> {
  const log = JSON.parse(await run([file, '--format', 'sarif'])) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
  return log.runs[0].results.map((r) => `${r.ruleId}: ${r.message.text}`).join('\n');
}

/** The paths' reasons of the JSON report. */
async function reasons(file: string): Promise<string> {
  const report = JSON.parse(await run([file, '--format', 'json'])) as { vms: { paths: { because: string[] }[] }[] };
  return report.vms.flatMap((v) => v.paths.flatMap((p) => p.because)).join('\n');
}

interface Case {
  readonly rule: string;
  readonly plan: string;
  /** The ARM fixture of the same finding. */
  readonly twin: string;
  /** What the plan's output says, and the twin's instead. */
  readonly terraform: string;
  readonly arm: string;
  /** The words are in the finding's message (so in SARIF too), not only in its help. */
  readonly inMessage?: true;
}

const CASES: readonly Case[] = [
  { rule: 'default-outbound-access', plan: 'fixtures/terraform/seed-4-three-nics-bare-secondary/plan.json', twin: 'fixtures/egress/seed-4-three-nics-bare-secondary/main.json', terraform: 'set default_outbound_access_enabled = false on the subnet', arm: 'set defaultOutboundAccess: false on the subnet' },
  { rule: 'implicit-lb-snat', plan: 'fixtures/terraform/seed-2-public-lb-rule/plan.json', twin: 'fixtures/egress/seed-2-public-lb-rule/main.json', terraform: "set disable_outbound_snat = true on 'https'", arm: "set disableOutboundSnat: true on 'https'" },
  { rule: 'ambiguous-primary-nic', plan: 'fixtures/terraform/wording-nic-and-public-ip/plan.json', twin: 'fixtures/rules/ambiguous-primary-nic/fail-no-primary-ipconfig.json', terraform: 'none of them sets primary = true.', arm: 'none of them sets primary: true.', inMessage: true },
  { rule: 'ambiguous-primary-nic', plan: 'fixtures/terraform/wording-nic-and-public-ip/plan.json', twin: 'fixtures/rules/ambiguous-primary-nic/fail-no-primary-ipconfig.json', terraform: 'the first of network_interface_ids', arm: 'Set properties.primary: true on exactly one network interface of the VM' },
  { rule: 'retired-sku', plan: 'fixtures/terraform/wording-nic-and-public-ip/plan.json', twin: 'fixtures/rules/retired-sku/fail-basic-public-ip.json', terraform: "Set sku of '", arm: "Set sku.name of '" },
  { rule: 'dynamic-public-ip', plan: 'fixtures/terraform/wording-nic-and-public-ip/plan.json', twin: 'fixtures/rules/dynamic-public-ip/fail-basic-dynamic.json', terraform: "set allocation_method to 'Static'", arm: "set publicIPAllocationMethod to 'Static'" },
  { rule: 'unbounded-egress', plan: 'fixtures/terraform/remaining-resources/plan.json', twin: 'fixtures/rules/unbounded-egress/fail-aks-node-public-ip.json', terraform: 'own public IP (node_public_ip_enabled) without a public IP prefix (node_public_ip_prefix_id)', arm: 'own public IP (enableNodePublicIP) without a public IP prefix (nodePublicIPPrefixID)', inMessage: true },
  { rule: 'unresolved-egress', plan: 'fixtures/terraform/vwan-routing-intent-firewall/plan.json', twin: 'fixtures/egress/vwan-routing-intent-firewall/main.json', terraform: 'assigns at deployment (virtual_hub.public_ip_count: 1)', arm: 'assigns at deployment (hubIPAddresses.publicIPs.count: 1)', inMessage: true },
  // Not a twin of the same network: an ARM template whose unresolved egress gets the same rule's ARM help text.
  { rule: 'unresolved-egress', plan: 'fixtures/terraform/association-target-unknown/plan.json', twin: 'fixtures/egress/vwan-routing-intent-firewall/main.json', terraform: 'A plan or state is read on its own', arm: 'A linked template is read from disk when it is linked by templateLink.relativePath' },
];

const text = suite('Terraform wording: the text output');
for (const c of CASES) {
  text(`${c.rule}: a plan's finding says "${c.terraform}", its ARM twin "${c.arm}"`, async () => {
    const plan = await run([c.plan]);
    assert.ok(plan.includes(c.terraform), plan);
    assert.not.ok(plan.includes(c.arm), plan);
    const twin = await run([c.twin]);
    assert.ok(twin.includes(c.arm), twin);
    assert.not.ok(twin.includes(c.terraform), twin);
  });
}
text.run();

const sarif = suite('Terraform wording: SARIF');
for (const c of CASES) {
  if (!c.inMessage) continue;
  sarif(`${c.rule}: the SARIF result's message names the attribute, the twin's the ARM property`, async () => {
    const plan = await sarifMessages(c.plan);
    assert.ok(plan.includes(`${c.rule}: `) && plan.includes(c.terraform), plan);
    assert.not.ok(plan.includes(c.arm), plan);
    const twin = await sarifMessages(c.twin);
    assert.ok(twin.includes(c.arm), twin);
    assert.not.ok(twin.includes(c.terraform), twin);
  });
}
sarif.run();

const paths = suite('Terraform wording: the reasons of the JSON report');
paths('a path through an azurerm_lb_rule says disable_outbound_snat; the ARM twin disableOutboundSnat', async () => {
  assert.match(await reasons('fixtures/terraform/vmss-lb-outbound-rule/plan.json'), "load-balancing rule 'https' of 'lb' sets disable_outbound_snat: no outbound through it");
  assert.match(await reasons('fixtures/egress/vmss-lb-outbound-rule/main.json'), "load-balancing rule 'https' of 'lb' sets disableOutboundSnat: no outbound through it");
});
paths('a subnet written as an azapi_resource body keeps ARM words: its body is ARM', async () => {
  const because = await reasons('fixtures/terraform/azapi-subnets/plan.json');
  assert.match(because, "subnet 'private' leaves defaultOutboundAccess unset");
  assert.not.match(because, 'default_outbound_access_enabled');
});
paths.run();

const unit = suite('Terraform wording: the table');
unit('a name quoted in a text keeps its words, even named like a property', () => {
  const w = new Wording();
  w.add('/planned_values/root_module/resources/0', 'azurerm_subnet', 'Microsoft.Network/virtualNetworks/subnets');
  assert.is(w.reword('/planned_values/root_module/resources/0', "subnet 'defaultOutboundAccess' sets defaultOutboundAccess: false"), "subnet 'defaultOutboundAccess' sets default_outbound_access_enabled = false");
});
unit('the finding about an azapi_resource keeps ARM words; about an azurerm one, the attribute; a plan with both says both', () => {
  const w = new Wording();
  w.add('/r/0', 'azapi_resource', 'Microsoft.Network/virtualNetworks/subnets');
  w.add('/r/1', 'azurerm_subnet', 'Microsoft.Network/virtualNetworks/subnets');
  w.add('/r/2', 'azurerm_network_interface', 'Microsoft.Network/networkInterfaces');
  assert.is(w.reword('/r/0/properties', 'defaultOutboundAccess: false'), 'defaultOutboundAccess: false');
  assert.is(w.reword('/r/1', 'defaultOutboundAccess: false'), 'default_outbound_access_enabled = false');
  assert.is(w.reword('/r/2', 'set defaultOutboundAccess: false on the subnet'), 'set default_outbound_access_enabled = false (defaultOutboundAccess: false in an azapi_resource body) on the subnet');
});
unit('the legacy azurerm_virtual_machine names its primary NIC by id, not by a flag', () => {
  const w = new Wording();
  w.add('/r/0', 'azurerm_virtual_machine', 'Microsoft.Compute/virtualMachines');
  w.add('/r/1', 'azurerm_network_interface', 'Microsoft.Network/networkInterfaces');
  assert.is(w.reword('/r/0', "'vm' has 2 network interfaces and none of them sets primary: true."), "'vm' has 2 network interfaces and primary_network_interface_id names none of them.");
  assert.is(w.reword('/r/1', "NIC 'nic' has 2 IP configurations and none of them sets primary: true."), "NIC 'nic' has 2 IP configurations and none of them sets primary = true.");
});
unit('English words are not properties: "the primary NIC" stays', () => {
  const w = new Wording();
  w.add('/r/0', 'azurerm_network_interface', 'Microsoft.Network/networkInterfaces');
  assert.is(w.reword('/r/0', 'the primary NIC and its primary path'), 'the primary NIC and its primary path');
});
unit.run();
