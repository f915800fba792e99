// The expand and eval commands on a Terraform plan, as users run them: expand prints the resources the front-end
// translated (ARM's shape, each with the Terraform address it comes from); eval, which evaluates ARM template
// expressions, says a plan has none instead of printing null.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../cli/main.js';
import { capture } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;

async function run(args: string[]) {
  const c = capture(root);
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

const test = suite('Terraform: expand and eval');

test('expand prints the ARM resources a plan translates to, with their Terraform addresses and values known only after apply followed', async () => {
  const r = await run(['expand', 'fixtures/terraform/seed-1-nic-public-ip/plan.json']);
  assert.is(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { resources: { type: string; name: string; symbolicName: string; at: string; properties?: { ipConfigurations?: { properties: { publicIPAddress?: { id: string } } }[] } }[] };
  const nic = out.resources.find((x) => x.type === 'Microsoft.Network/networkInterfaces');
  assert.ok(nic, r.out);
  assert.is(nic.symbolicName, 'azurerm_network_interface.nic1');
  assert.match(nic.at, /^fixtures\/terraform\/seed-1-nic-public-ip\/plan\.json#\/planned_values\/root_module\/resources\/\d+$/);
  assert.is(nic.properties?.ipConfigurations?.[0].properties.publicIPAddress?.id, '/subscriptions/{subscription}/resourceGroups/rg-egress/providers/Microsoft.Network/publicIPAddresses/pip-vm1');
  assert.equal(out.resources.map((x) => x.type).sort(), ['Microsoft.Compute/virtualMachines', 'Microsoft.Network/networkInterfaces', 'Microsoft.Network/publicIPAddresses', 'Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets']);
});

test('expand shows what a plan leaves unread as unresolved, naming it', async () => {
  const r = await run(['expand', 'fixtures/terraform/association-target-unknown/plan.json']);
  const out = JSON.parse(r.out) as { unresolved: { name: string; reason: string }[] };
  assert.equal(
    out.unresolved.map((u) => u.name),
    ['azurerm_subnet_nat_gateway_association.default'],
  );
});

test('expand folds a hub route resource into the default route table the hub creates (default_route_table_id)', async () => {
  const r = await run(['expand', 'fixtures/terraform/hub-route-table-route/plan.json']);
  const out = JSON.parse(r.out) as { unresolved: unknown[]; resources: { type: string; name: string; symbolicName: string; properties?: { routes?: { name: string; destinations: string[]; nextHopType: string; nextHop: string }[] } }[] };
  assert.equal(out.unresolved, []);
  const table = out.resources.find((x) => x.type === 'Microsoft.Network/virtualHubs/hubRouteTables');
  assert.ok(table, r.out);
  assert.is(table.name, 'hub/defaultRouteTable');
  assert.is(table.symbolicName, 'azurerm_virtual_hub_route_table_route.default');
  assert.equal(
    table.properties?.routes?.map((x) => [x.name, x.destinations, x.nextHopType, x.nextHop.replace(/^.*\/virtualHubs\//, '')]),
    [['default-to-nva', ['0.0.0.0/0'], 'ResourceId', 'hub/hubVirtualNetworkConnections/vnet-to-hub']],
  );
});

test('eval with a plan as its template: exit 2 saying a plan has no ARM expressions, never a null value', async () => {
  const r = await run(['eval', "[variables('x')]", '--template', 'fixtures/terraform/seed-1-nic-public-ip/plan.json']);
  assert.is(r.code, 2);
  assert.is(r.out, '');
  assert.match(r.err, /Terraform plan or state/);
});

test.run();
