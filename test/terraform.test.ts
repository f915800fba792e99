// The Terraform front-end: the same network written as ARM and as a Terraform plan gives the same answers (VMs,
// verdicts, egress, paths, findings), and the pieces the front-end rests on read the plan format as Terraform
// prints it (references, addresses).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HclDoc, lintDocument, loadTemplate, stateResources } from '../engine/index.js';
import { diskHost } from '../api/files.js';
import type { LintResult } from '../engine/index.js';
import { rules } from '../rules/index.js';
import { leafReferences, parseReference } from '../engine/terraform/references.js';
import { moduleOfAddress, parentModule } from '../engine/terraform/plan.js';
import { keyComputed } from '../engine/terraform/reader.js';
import { FIXTURES } from './harness/fixtures.js';

/** A Terraform fixture and the ARM fixture of the same network. */
const PAIRS: readonly (readonly [string, string])[] = [
  ['terraform/seed-1-nic-public-ip/plan.json', 'egress/seed-1-nic-public-ip/main.json'],
  ['terraform/seed-2-public-lb-rule/plan.json', 'egress/seed-2-public-lb-rule/main.json'],
  ['terraform/seed-3-two-nics-pip-and-lb/plan.json', 'egress/seed-3-two-nics-pip-and-lb/main.json'],
  ['terraform/seed-4-three-nics-bare-secondary/plan.json', 'egress/seed-4-three-nics-bare-secondary/main.json'],
  ['terraform/state-seed-1/state.json', 'egress/seed-1-nic-public-ip/main.json'],
  ['terraform/modules-seed-3/plan.json', 'egress/seed-3-two-nics-pip-and-lb/main.json'],
  ['terraform/nat-gateway-overrides-public-ip/plan.json', 'egress/nat-overrides-instance-ip/main.json'],
  ['terraform/route-to-firewall/plan.json', 'egress/route-firewall-reference/main.json'],
  ['terraform/vmss-lb-outbound-rule/plan.json', 'egress/vmss-lb-outbound-rule/main.json'],
  // Gateways, peerings and Route Server (azurerm-gateways.ts).
  ['terraform/gateway-vpn-bgp/plan.json', 'egress/gateway-vpn-bgp/main.json'],
  ['terraform/gateway-vpn-static/plan.json', 'egress/gateway-vpn-static/main.json'],
  ['terraform/gateway-default-site/plan.json', 'egress/gateway-default-site/main.json'],
  ['terraform/gateway-expressroute/plan.json', 'egress/gateway-expressroute/main.json'],
  ['terraform/gateway-remote-gateways/plan.json', 'egress/gateway-remote-gateways/main.json'],
  ['terraform/gateway-route-server/plan.json', 'egress/gateway-route-server/main.json'],
  // Virtual WAN (azurerm-virtual-wan.ts).
  ['terraform/vwan-routing-intent-firewall/plan.json', 'egress/vwan-routing-intent-firewall/main.json'],
  ['terraform/vwan-hub-learns-default-route/plan.json', 'egress/vwan-hub-learns-default-route/main.json'],
  // The secured hub's firewall addresses from state (virtual_hub[0].public_ip_addresses).
  ['terraform/state-vwan-hub-firewall/state.json', 'egress/vwan-firewall-addresses/main.json'],
  // A route of its own into the hub's default route table (azurerm_virtual_hub_route_table_route).
  ['terraform/state-vwan-default-route-table/state.json', 'egress/vwan-default-route-table/main.json'],
];

/** A fixture linted as the CLI lints it: the .tf source beside a plan is read (it shows what the plan leaves out). */
function lint(file: string): LintResult {
  return lintDocument({ file, text: readFileSync(join(FIXTURES, file), 'utf8') }, { rules, host: diskHost(FIXTURES) });
}

/** A changed copy of a fixture's plan, linted with the .tf source beside the fixture. */
function lintCopy(file: string, plan: unknown): LintResult {
  return lintDocument({ file, text: JSON.stringify(plan) }, { rules, host: diskHost(FIXTURES) });
}

/** Words as they are: the ARM side of a comparison. */
function asWritten(text: string): string {
  return text;
}

/**
 * What must agree between the two front-ends: everything but places and ids (ARM's resource group is not
 * Terraform's), and words: the plan's messages and reasons name the azurerm attributes where the template's name ARM
 * properties, so the template's texts are compared in the words of the plan (`words`, the plan's own rewording).
 */
function answers(r: LintResult, words: (text: string) => string = asWritten): unknown {
  return {
    vms: r.vms.map((v) => ({
      name: v.name,
      type: v.type,
      verdict: v.verdict,
      egress: v.egress.map((e) => `${e.name} ${e.via} ${e.type} ${e.static}`).sort(),
      primaryEgress: v.primaryEgress.map((e) => e.name).sort(),
      paths: v.paths.map((p) => ({ nic: p.nic, ipConfiguration: p.ipConfiguration, primary: p.primary, method: p.method, verdict: p.verdict, egress: p.egress.map((e) => e.name).sort(), because: p.because.map(words) })),
    })),
    findings: r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.messageId} ${JSON.stringify(f.data)}: ${words(f.message)} (${words(f.help)})`).sort(),
  };
}

/** The plan's rewording of a text (about no resource in particular: the words of the plan's resources of its type). */
function wordsOf(r: LintResult): (text: string) => string {
  const doc = r.deployment.docs.get(r.file);
  assert.ok(doc?.reword, 'a plan rewords its texts');
  return (text) => doc.reword!('', text);
}

const same = suite('Terraform and ARM: the same network, the same answers');
for (const [tf, arm] of PAIRS) {
  same(`${tf} answers as ${arm}`, () => {
    const t = lint(tf);
    const a = answers(lint(arm), wordsOf(t));
    assert.equal(answers(t), a);
    assert.ok((a as { vms: unknown[] }).vms.length > 0, 'the ARM fixture has VMs');
  });
}
same.run();

const state = suite('Terraform state');
state('state gives the deployed ids and addresses, which the report shows', () => {
  const vm = lint('terraform/state-seed-1/state.json').vms[0];
  assert.is(vm.id, '/subscriptions/3b1f8c2e-5d7a-4e9b-9c1a-6f2d8e4b7a10/resourceGroups/rg-egress/providers/Microsoft.Compute/virtualMachines/vm1');
  assert.equal(
    vm.egress.map((e) => [e.id, e.address]),
    [['/subscriptions/3b1f8c2e-5d7a-4e9b-9c1a-6f2d8e4b7a10/resourceGroups/rg-egress/providers/Microsoft.Network/publicIPAddresses/pip-vm1', '20.61.15.107']],
  );
});
state('state gives a secured hub firewall its addresses (virtual_hub[0].public_ip_addresses); a plan that creates it leaves them to Azure, naming the count', () => {
  const vm = lint('terraform/state-vwan-hub-firewall/state.json').vms[0];
  assert.is(vm.verdict, 'deterministic-set');
  assert.equal(
    vm.egress.map((e) => [e.name, e.via, e.address]),
    [
      ['fw-hub-public-ip-1', 'firewall', '20.50.1.10'],
      ['fw-hub-public-ip-2', 'firewall', '20.50.1.11'],
    ],
  );
  const planned = lint('terraform/vwan-routing-intent-firewall/plan.json').vms[0];
  assert.is(planned.verdict, 'unknown');
  assert.equal(
    planned.egress.map((e) => [e.name, e.address]),
    [['fw-hub-public-ip-1', null]],
  );
  assert.match(planned.paths[0].because.join('\n'), 'leaves through 1 public IP that Azure assigns at deployment (virtual_hub.public_ip_count: 1)');
});
state('a plan names what is not created yet by an id built from its resource group and name, the subscription a placeholder', () => {
  const vm = lint('terraform/seed-1-nic-public-ip/plan.json').vms[0];
  assert.is(vm.egress[0].id, '/subscriptions/{subscription}/resourceGroups/rg-egress/providers/Microsoft.Network/publicIPAddresses/pip-vm1');
  assert.is(vm.egress[0].address, null);
});
state('state gives an inventory its deployed resources, in ARM\'s shape (the seam for inventory files); a plan none', () => {
  const file = 'terraform/state-seed-1/state.json';
  const resources = stateResources(loadTemplate(file, readFileSync(join(FIXTURES, file), 'utf8')));
  const pip = resources.find((r) => r.type === 'Microsoft.Network/publicIPAddresses');
  assert.is(pip?.key, '/subscriptions/3b1f8c2e-5d7a-4e9b-9c1a-6f2d8e4b7a10/resourcegroups/rg-egress/providers/microsoft.network/publicipaddresses/pip-vm1');
  assert.equal(pip?.body.properties, { publicIPAllocationMethod: 'Static', publicIPAddressVersion: 'IPv4', ipAddress: '20.61.15.107' });
  assert.equal(resources.map((r) => r.type).sort(), ['Microsoft.Compute/virtualMachines', 'Microsoft.Network/networkInterfaces', 'Microsoft.Network/publicIPAddresses', 'Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets']);
  const plan = 'terraform/seed-1-nic-public-ip/plan.json';
  assert.equal(stateResources(loadTemplate(plan, readFileSync(join(FIXTURES, plan), 'utf8'))), []);
});
state.run();

const nat = suite('NAT gateway associations');
nat('a public IP prefix associated with the NAT gateway joins its egress (azurerm_nat_gateway_public_ip_prefix_association)', () => {
  const file = 'terraform/nat-gateway-overrides-public-ip/plan.json';
  const plan = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    planned_values: { root_module: { resources: Record<string, unknown>[] } };
    resource_changes: Record<string, unknown>[];
    configuration: { root_module: { resources: Record<string, unknown>[] } };
  };
  const add = (address: string, type: string, values: Record<string, unknown>, unknown: Record<string, unknown>, expressions: Record<string, unknown>): void => {
    const name = address.split('.')[1];
    plan.planned_values.root_module.resources.push({ address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/azurerm', schema_version: 0, values, sensitive_values: {} });
    plan.resource_changes.push({ address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/azurerm', change: { actions: ['create'], before: null, after: values, after_unknown: unknown } });
    plan.configuration.root_module.resources.push({ address, mode: 'managed', type, name, provider_config_key: 'azurerm', expressions, schema_version: 0 });
  };
  add('azurerm_public_ip_prefix.nat', 'azurerm_public_ip_prefix', { ip_version: 'IPv4', location: 'westeurope', name: 'prefix-nat', prefix_length: 31, resource_group_name: 'rg-egress', sku: 'Standard', sku_tier: 'Regional' }, { id: true, ip_prefix: true }, { name: { constant_value: 'prefix-nat' }, prefix_length: { constant_value: 31 } });
  add('azurerm_nat_gateway_public_ip_prefix_association.nat', 'azurerm_nat_gateway_public_ip_prefix_association', {}, { id: true, nat_gateway_id: true, public_ip_prefix_id: true }, { nat_gateway_id: { references: ['azurerm_nat_gateway.nat.id', 'azurerm_nat_gateway.nat'] }, public_ip_prefix_id: { references: ['azurerm_public_ip_prefix.nat.id', 'azurerm_public_ip_prefix.nat'] } });
  const vm = lintDocument({ file: 'plan.json', text: JSON.stringify(plan) }, { rules }).vms[0];
  assert.is(vm.verdict, 'deterministic-set');
  assert.equal(vm.egress.map((e) => `${e.name} ${e.via}`).sort(), ['pip-nat nat-gateway', 'prefix-nat nat-gateway']);
});
nat.run();

const tf = suite('positions in .tf files');
tf('the scanner finds blocks, nested blocks and arguments past comments, templates, heredocs and brackets', () => {
  const text = [
    '# a comment with { a brace',
    'variable "x" {',
    '  default = { a = "}" }',
    '}',
    'resource "azurerm_network_interface" "nic" {',
    '  name = "nic-${var.x}" // }',
    '  /* { */',
    '  ip_configuration {',
    '    name      = "one"',
    '    subnet_id = azurerm_subnet.s.id',
    '  }',
    '  dynamic "ip_configuration" {',
    '    for_each = var.extra',
    '    content {',
    '      name = ip_configuration.value',
    '    }',
    '  }',
    '  tags = {',
    '    a = <<EOT',
    '  } not a brace',
    'EOT',
    '  }',
    '}',
    'data "azurerm_subnet" "s" {',
    '  name = "x"',
    '}',
    '',
  ].join('\n');
  const doc = new HclDoc('main.tf', text);
  const at = (p: string) => doc.lineColumn(doc.range(p).offset);
  assert.equal(at('/resource/azurerm_network_interface/nic'), { line: 4, column: 0 });
  assert.equal(at('/resource/azurerm_network_interface/nic/ip_configuration/0/subnet_id'), { line: 9, column: 4 });
  assert.equal(at('/resource/azurerm_network_interface/nic/ip_configuration/1'), { line: 11, column: 2 }, 'a dynamic block stands for its blocks');
  assert.equal(at('/data/azurerm_subnet/s/name'), { line: 24, column: 2 });
  assert.ok(doc.has('/resource/azurerm_network_interface/nic/tags'));
  assert.not.ok(doc.has('/resource/azurerm_network_interface/nic/ip_configuration/2'));
});
tf('a module from a registry is found where terraform init put it (.terraform/modules/modules.json)', () => {
  const file = 'fixtures/terraform/azapi-subnets/plan.json';
  const r = lintDocument({ file }, { rules, host: diskHost(process.cwd()) });
  assert.ok(r.deployment.docs.has('fixtures/terraform/azapi-subnets/.terraform/modules/subnet/modules/subnet/main.tf'));
  const subnet = r.deployment.resources.find((x) => x.symbolicName === 'module.subnet["app"].azapi_resource.subnet');
  const placed = r.deployment.docs.get(file)?.place?.(`${subnet?.at.pointer ?? ''}/properties/natGateway`);
  assert.equal(placed, { file: 'fixtures/terraform/azapi-subnets/.terraform/modules/subnet/modules/subnet/main.tf', pointer: '/resource/azapi_resource/subnet/body' });
  assert.equal(r.vms.map((v) => `${v.name} ${v.file}:${v.line}`), ['vm-app fixtures/terraform/azapi-subnets/main.tf:75', 'vm-private fixtures/terraform/azapi-subnets/main.tf:101']);
});
tf.run();

const refs = suite('references as Terraform prints them');
refs('each use is one chain, longest first; a string that is no prefix of the one before starts the next', () => {
  // Terraform 1.11's configuration representation of
  //   { pip = pip[count.index].id, list = [pip[0].id, pip[1].id], cond = var.flag ? pip[0].id : null }
  const printed = [
    'terraform_data.pip',
    'count.index',
    'terraform_data.pip[0].id',
    'terraform_data.pip[0]',
    'terraform_data.pip',
    'terraform_data.pip[1].id',
    'terraform_data.pip[1]',
    'terraform_data.pip',
    'var.flag',
    'terraform_data.pip[0].id',
    'terraform_data.pip[0]',
    'terraform_data.pip',
  ];
  assert.equal(leafReferences(printed), ['terraform_data.pip', 'count.index', 'terraform_data.pip[0].id', 'terraform_data.pip[1].id', 'var.flag', 'terraform_data.pip[0].id']);
});
refs('a reference names its root, instance key and the steps after it', () => {
  assert.equal(parseReference('azurerm_public_ip.pip[0].id'), { text: 'azurerm_public_ip.pip[0].id', root: 'resource', type: 'azurerm_public_ip', name: 'pip', key: 0, steps: ['id'] });
  assert.equal(parseReference('azurerm_firewall.fw.ip_configuration[0].private_ip_address')?.steps, ['ip_configuration', 0, 'private_ip_address']);
  assert.equal(parseReference('module.net["a b"].subnet_ids["app"]'), { text: 'module.net["a b"].subnet_ids["app"]', root: 'module', type: '', name: 'net', key: 'a b', steps: ['subnet_ids', 'app'] });
  assert.equal(parseReference('data.azurerm_subnet.s.id')?.root, 'data');
  assert.equal(parseReference('var.nat_gateway.id'), { text: 'var.nat_gateway.id', root: 'var', type: '', name: 'nat_gateway', key: undefined, steps: ['id'] });
  assert.equal(parseReference('count.index')?.root, 'helper');
  assert.is(parseReference('a..b'), undefined);
});
refs('module instance addresses', () => {
  assert.is(moduleOfAddress('module.a[0].module.b["x.y"].azurerm_lb.lb["k"]'), 'module.a[0].module.b["x.y"]');
  assert.is(moduleOfAddress('azurerm_lb.lb'), '');
  assert.is(parentModule('module.a[0].module.b["x.y"]'), 'module.a[0]');
  assert.is(parentModule('module.a'), '');
});
refs('an index computed from count.index or each.key is told from the key itself (the .tf source shows it; the references do not)', () => {
  for (const same of ['azurerm_public_ip.pip[count.index].id', 'azurerm_public_ip.pip[ count.index ].id', 'element(azurerm_public_ip.pip[*].id, count.index)', 'module.net[each.key].subnet_id', 'azurerm_public_ip.pip["a"].id', 'one(azurerm_public_ip.pip[*].id)'])
    assert.not.ok(keyComputed(same), same);
  for (const computed of ['azurerm_public_ip.pip[count.index + 1].id', 'azurerm_public_ip.pip[(count.index + 1) % 2].id', 'element(azurerm_public_ip.pip[*].id, count.index + 1)', 'azurerm_public_ip.pip["${each.key}-x"].id', 'count.index == 0 ? azurerm_public_ip.a.id : null', 'lookup(local.ids, each.key)'])
    assert.ok(keyComputed(computed), computed);
});
refs.run();

const hubRoute = suite('hub route resources (azurerm_virtual_hub_route_table_route)');
/** The plan of terraform/hub-route-table-route with its route's route_table_id written as `expression` (a known `value`, or none). */
function withRouteTable(expression: unknown, value?: string): LintResult {
  const file = 'terraform/hub-route-table-route/plan.json';
  const plan = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    planned_values: { root_module: { resources: { address: string; values: Record<string, unknown> }[] } };
    resource_changes: { address: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }[];
    configuration: { root_module: { resources: { address: string; expressions: Record<string, unknown> }[] } };
  };
  const address = 'azurerm_virtual_hub_route_table_route.default';
  const change = plan.resource_changes.find((c) => c.address === address)!.change;
  if (value !== undefined) {
    plan.planned_values.root_module.resources.find((r) => r.address === address)!.values.route_table_id = value;
    change.after.route_table_id = value;
    delete change.after_unknown.route_table_id;
  }
  plan.configuration.root_module.resources.find((r) => r.address === address)!.expressions.route_table_id = expression;
  return lintCopy(file, plan);
}
hubRoute('a route into a hub route table the plan does not have leaves the path unknown, naming the route', () => {
  const id = '/subscriptions/3b1f8c2e-5d7a-4e9b-9c1a-6f2d8e4b7a10/resourceGroups/rg-other/providers/Microsoft.Network/virtualHubs/hub-other/hubRouteTables/rt1';
  const vm = withRouteTable({ constant_value: id }, id).vms[0];
  assert.is(vm.verdict, 'unknown');
  assert.match(vm.paths[0].because.join('\n'), `route 'azurerm_virtual_hub_route_table_route.default' could change it: the hub route table its route_table_id names (${id}) is not in the plan`);
});
hubRoute('a route whose table the plan cannot tell (a local value) leaves every path unknown, naming it', () => {
  const vm = withRouteTable({ references: ['local.route_table'] }).vms[0];
  assert.is(vm.verdict, 'unknown');
  assert.match(vm.paths[0].because.join('\n'), "association 'azurerm_virtual_hub_route_table_route.default' could change it: which resource its route_table_id names is not known");
});
hubRoute('a route into a hub route table of the plan applies to the connections associated with that table, not to the others', () => {
  const file = 'terraform/hub-route-table-route/plan.json';
  const plan = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    planned_values: { root_module: { resources: Record<string, unknown>[] } };
    resource_changes: { address: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }[];
    configuration: { root_module: { resources: { address: string; expressions: Record<string, unknown> }[] } };
  };
  const table = 'azurerm_virtual_hub_route_table.rt';
  const values = { name: 'rt-spoke', labels: null, route: [], timeouts: null };
  plan.planned_values.root_module.resources.push({ address: table, mode: 'managed', type: 'azurerm_virtual_hub_route_table', name: 'rt', provider_name: 'registry.terraform.io/hashicorp/azurerm', schema_version: 0, values, sensitive_values: {} });
  plan.resource_changes.push({ address: table, mode: 'managed', type: 'azurerm_virtual_hub_route_table', name: 'rt', provider_name: 'registry.terraform.io/hashicorp/azurerm', change: { actions: ['create'], before: null, after: values, after_unknown: { id: true, virtual_hub_id: true, route: [] } } } as never);
  plan.configuration.root_module.resources.push({ address: table, mode: 'managed', type: 'azurerm_virtual_hub_route_table', name: 'rt', provider_config_key: 'azurerm', expressions: { name: { constant_value: 'rt-spoke' }, virtual_hub_id: { references: ['azurerm_virtual_hub.hub.id', 'azurerm_virtual_hub.hub'] } }, schema_version: 0 } as never);
  const route = plan.configuration.root_module.resources.find((r) => r.address === 'azurerm_virtual_hub_route_table_route.default')!;
  route.expressions.route_table_id = { references: [`${table}.id`, table] };
  const lintWith = (associated: boolean): LintResult => {
    const copy = JSON.parse(JSON.stringify(plan)) as typeof plan;
    if (associated) {
      const conn = 'azurerm_virtual_hub_connection.vnet';
      (copy.planned_values.root_module.resources.find((r) => r.address === conn)!.values as Record<string, unknown>).routing = [{ static_vnet_route: [] }];
      const change = copy.resource_changes.find((c) => c.address === conn)!.change;
      change.after.routing = [{ static_vnet_route: [] }];
      change.after_unknown.routing = [{ associated_route_table_id: true, static_vnet_route: [] }];
      copy.configuration.root_module.resources.find((r) => r.address === conn)!.expressions.routing = [{ associated_route_table_id: { references: [`${table}.id`, table] } }];
    }
    return lintCopy(file, copy);
  };
  const associated = lintWith(true).vms[0];
  assert.is(associated.verdict, 'unknown');
  assert.match(associated.paths[0].because.join('\n'), "route 'default-to-nva' of hub route table 'rt-spoke' of virtual hub 'hub' sends 0.0.0.0/0 to connection 'vnet-to-hub'");
  const other = lintWith(false).vms[0];
  assert.equal([other.verdict, other.egress.map((e) => `${e.name} ${e.via}`)], ['deterministic', ['pip-vm1 instance-public-ip']]);
});
hubRoute("a hub connection's static routes known only after apply leave the spokes of that hub unknown, not read as none", () => {
  const file = 'terraform/vwan-hub-learns-default-route/plan.json';
  const plan = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    planned_values: { root_module: { resources: { address: string; values: { routing: Record<string, unknown>[] } }[] } };
    resource_changes: { address: string; change: { after: { routing: Record<string, unknown>[] }; after_unknown: { routing: Record<string, unknown>[] } } }[];
  };
  const address = 'azurerm_virtual_hub_connection.nva';
  delete plan.planned_values.root_module.resources.find((r) => r.address === address)!.values.routing[0].static_vnet_route;
  const change = plan.resource_changes.find((c) => c.address === address)!.change;
  delete change.after.routing[0].static_vnet_route;
  change.after_unknown.routing[0].static_vnet_route = true;
  const vm = lintCopy(file, plan).vms.find((v) => v.name === 'vm-b')!;
  assert.is(vm.verdict, 'unknown');
  assert.match(vm.paths[0].because.join('\n'), 'static_vnet_route');
});

hubRoute.run();
