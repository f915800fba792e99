// Generates `terraform show -json` of a plan (json-format's plan representation) with about `resources` azurerm
// resources: three modules called with count-sized VMs, "web" (NICs in a public load balancer's pool: lb-rule-snat),
// "app" (a public IP each: instance-public-ip) and "worker" (a subnet with a NAT gateway: nat-gateway), each NIC
// linked by references the plan knows only as expressions (ids known after apply, `x[count.index].id`, module
// outputs and input variables), as Terraform prints them for a first apply.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const PROVIDER = 'registry.terraform.io/hashicorp/azurerm';
const RG = 'rg-bench';
const LOC = 'westeurope';

/** The references Terraform prints for one traversal: the longest first, then each shorter prefix. */
function chain(text: string): string[] {
  const cuts: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '.' || text[i] === '[') cuts.push(i);
  const subject = text.startsWith('var.') || text.startsWith('module.') ? 2 : /^[^.]+\.[^.[]+\[/.test(text) ? 3 : 2;
  const prefixes = [...cuts.map((c) => text.slice(0, c)), text].slice(subject - 1).reverse();
  const keyed = /^([^.]+\.[^.[]+)\[/.exec(text);
  return keyed && !text.startsWith('module.') ? [...prefixes, keyed[1]] : prefixes;
}
const ref = (...texts: string[]): Json => ({ references: texts.flatMap(chain) });
const c = (v: Json): Json => ({ constant_value: v });
const rgRefs = { location: ref('var.location'), resource_group_name: ref('var.resource_group_name') };

interface Inst {
  address: string;
  type: string;
  name: string;
  index?: number;
  values: { [k: string]: Json };
  unknown: { [k: string]: Json };
}

function pip(name: string): Pick<Inst, 'values' | 'unknown'> {
  return { values: { allocation_method: 'Static', idle_timeout_in_minutes: 4, ip_version: 'IPv4', location: LOC, name, public_ip_prefix_id: null, resource_group_name: RG, sku: 'Standard', sku_tier: 'Regional', tags: null, zones: null }, unknown: { fqdn: true, id: true, ip_address: true } };
}
function nic(name: string, pipLinked: boolean): Pick<Inst, 'values' | 'unknown'> {
  const ipc: { [k: string]: Json } = { name: 'ipconfig1', private_ip_address_allocation: 'Dynamic', private_ip_address_version: 'IPv4' };
  const u: { [k: string]: Json } = { primary: true, private_ip_address: true, subnet_id: true };
  if (pipLinked) u.public_ip_address_id = true;
  else ipc.public_ip_address_id = null;
  return { values: { accelerated_networking_enabled: false, ip_configuration: [ipc], ip_forwarding_enabled: false, location: LOC, name, resource_group_name: RG, tags: null }, unknown: { applied_dns_servers: true, id: true, ip_configuration: [u], mac_address: true, private_ip_address: true, private_ip_addresses: true, virtual_machine_id: true } };
}
function vm(name: string): Pick<Inst, 'values' | 'unknown'> {
  return {
    values: { admin_username: 'azureuser', availability_set_id: null, location: LOC, name, os_disk: [{ caching: 'ReadWrite', storage_account_type: 'Standard_LRS' }], resource_group_name: RG, size: 'Standard_B2s', source_image_reference: [{ offer: 'ubuntu-24_04-lts', publisher: 'Canonical', sku: 'server', version: 'latest' }], virtual_machine_scale_set_id: null },
    unknown: { computer_name: true, id: true, network_interface_ids: true, os_disk: [{ disk_size_gb: true, name: true }], private_ip_address: true, public_ip_address: true, source_image_reference: [{}], virtual_machine_id: true },
  };
}

export interface TerraformBenchPlan {
  readonly dir: string;
  readonly file: string;
  readonly resources: number;
  readonly vms: number;
  /** VMs by the method of their primary path. */
  readonly methods: Readonly<Record<string, number>>;
  readonly bytes: number;
}

/** Writes the plan (one line, as `terraform show -json` prints it) into a new temporary folder. */
export function generateTerraformPlan(resources: number): TerraformBenchPlan {
  // web: NIC, pool association, VM; app: public IP, NIC, VM; worker: NIC, VM; plus 16 shared resources.
  const k = Math.max(1, Math.round((resources - 16) / 8));
  const instances: Inst[] = [];
  const add = (address: string, type: string, built: Pick<Inst, 'values' | 'unknown'>, index?: number): void => {
    const name = address.replace(/\[\d+\]$/, '').split('.').pop()!;
    instances.push({ address, type, name, ...(index !== undefined ? { index } : {}), ...built });
  };
  add('azurerm_resource_group.rg', 'azurerm_resource_group', { values: { location: LOC, name: RG }, unknown: { id: true } });
  add('azurerm_virtual_network.vnet', 'azurerm_virtual_network', { values: { address_space: ['10.0.0.0/8'], location: LOC, name: 'vnet', resource_group_name: RG }, unknown: { guid: true, id: true, subnet: true } });
  for (const s of ['web', 'app', 'worker']) add(`azurerm_subnet.${s}`, 'azurerm_subnet', { values: { address_prefixes: [`10.${['web', 'app', 'worker'].indexOf(s) + 1}.0.0/16`], default_outbound_access_enabled: true, name: s, resource_group_name: RG, virtual_network_name: 'vnet' }, unknown: { id: true } });
  add('azurerm_public_ip.lb', 'azurerm_public_ip', pip('pip-lb'));
  add('azurerm_lb.lb', 'azurerm_lb', { values: { frontend_ip_configuration: [{ name: 'fe' }], location: LOC, name: 'lb', resource_group_name: RG, sku: 'Standard', sku_tier: 'Regional' }, unknown: { frontend_ip_configuration: [{ id: true, private_ip_address: true, public_ip_address_id: true, public_ip_prefix_id: true, subnet_id: true }], id: true } });
  add('azurerm_lb_backend_address_pool.pool', 'azurerm_lb_backend_address_pool', { values: { name: 'pool' }, unknown: { id: true, loadbalancer_id: true } });
  add('azurerm_lb_rule.https', 'azurerm_lb_rule', { values: { backend_port: 443, disable_outbound_snat: false, frontend_ip_configuration_name: 'fe', frontend_port: 443, name: 'https', protocol: 'Tcp' }, unknown: { backend_address_pool_ids: true, id: true, loadbalancer_id: true } });
  add('azurerm_public_ip.nat', 'azurerm_public_ip', pip('pip-nat'));
  add('azurerm_nat_gateway.nat', 'azurerm_nat_gateway', { values: { location: LOC, name: 'nat', resource_group_name: RG, sku_name: 'Standard' }, unknown: { id: true, resource_guid: true } });
  add('azurerm_nat_gateway_public_ip_association.nat', 'azurerm_nat_gateway_public_ip_association', { values: {}, unknown: { id: true, nat_gateway_id: true, public_ip_address_id: true } });
  add('azurerm_subnet_nat_gateway_association.worker', 'azurerm_subnet_nat_gateway_association', { values: {}, unknown: { id: true, nat_gateway_id: true, subnet_id: true } });
  for (let i = 0; i < k; i++) {
    add(`module.web.azurerm_network_interface.nic[${i}]`, 'azurerm_network_interface', nic(`web-nic-${i}`, false), i);
    add(`module.web.azurerm_network_interface_backend_address_pool_association.nic[${i}]`, 'azurerm_network_interface_backend_address_pool_association', { values: { ip_configuration_name: 'ipconfig1' }, unknown: { backend_address_pool_id: true, id: true, network_interface_id: true } }, i);
    add(`module.web.azurerm_linux_virtual_machine.vm[${i}]`, 'azurerm_linux_virtual_machine', vm(`web-${i}`), i);
    add(`module.app.azurerm_public_ip.pip[${i}]`, 'azurerm_public_ip', pip(`app-pip-${i}`), i);
    add(`module.app.azurerm_network_interface.nic[${i}]`, 'azurerm_network_interface', nic(`app-nic-${i}`, true), i);
    add(`module.app.azurerm_linux_virtual_machine.vm[${i}]`, 'azurerm_linux_virtual_machine', vm(`app-${i}`), i);
    add(`module.worker.azurerm_network_interface.nic[${i}]`, 'azurerm_network_interface', nic(`worker-nic-${i}`, false), i);
    add(`module.worker.azurerm_linux_virtual_machine.vm[${i}]`, 'azurerm_linux_virtual_machine', vm(`worker-${i}`), i);
  }
  const cfgRes = (address: string, type: string, expressions: { [k: string]: Json }, count?: Json): Json => ({ address, mode: 'managed', type, name: address.split('.')[1], provider_config_key: 'azurerm', expressions, schema_version: 0, ...(count ? { count_expression: count } : {}) });
  const tierModule = (tier: string): Json => {
    const resources: Json[] = [
      cfgRes('azurerm_network_interface.nic', 'azurerm_network_interface', { ip_configuration: [{ name: c('ipconfig1'), private_ip_address_allocation: c('Dynamic'), subnet_id: ref('var.subnet_id'), ...(tier === 'app' ? { public_ip_address_id: { references: ['azurerm_public_ip.pip', 'count.index'] } } : {}) }], name: { references: ['count.index'] }, ...rgRefs }, ref('var.size')),
      cfgRes('azurerm_linux_virtual_machine.vm', 'azurerm_linux_virtual_machine', { admin_username: c('azureuser'), name: { references: ['count.index'] }, network_interface_ids: { references: ['azurerm_network_interface.nic', 'count.index'] }, size: c('Standard_B2s'), ...rgRefs }, ref('var.size')),
    ];
    if (tier === 'app') resources.push(cfgRes('azurerm_public_ip.pip', 'azurerm_public_ip', { allocation_method: c('Static'), name: { references: ['count.index'] }, sku: c('Standard'), ...rgRefs }, ref('var.size')));
    if (tier === 'web') resources.push(cfgRes('azurerm_network_interface_backend_address_pool_association.nic', 'azurerm_network_interface_backend_address_pool_association', { backend_address_pool_id: ref('var.pool_id'), ip_configuration_name: c('ipconfig1'), network_interface_id: { references: ['azurerm_network_interface.nic', 'count.index'] } }, ref('var.size')));
    return { resources, variables: { location: {}, pool_id: { default: null }, resource_group_name: {}, size: {}, subnet_id: {} } };
  };
  const call = (tier: string): Json => ({ source: `./modules/${tier}`, expressions: { location: ref('azurerm_resource_group.rg.location'), resource_group_name: ref('azurerm_resource_group.rg.name'), size: c(k), subnet_id: ref(`azurerm_subnet.${tier}.id`), ...(tier === 'web' ? { pool_id: ref('azurerm_lb_backend_address_pool.pool.id') } : {}) }, module: tierModule(tier) });
  const root = [
    cfgRes('azurerm_resource_group.rg', 'azurerm_resource_group', { location: c(LOC), name: c(RG) }),
    cfgRes('azurerm_virtual_network.vnet', 'azurerm_virtual_network', { address_space: c(['10.0.0.0/8']), location: ref('azurerm_resource_group.rg.location'), name: c('vnet'), resource_group_name: ref('azurerm_resource_group.rg.name') }),
    ...['web', 'app', 'worker'].map((s) => cfgRes(`azurerm_subnet.${s}`, 'azurerm_subnet', { address_prefixes: c([`10.${['web', 'app', 'worker'].indexOf(s) + 1}.0.0/16`]), name: c(s), resource_group_name: ref('azurerm_resource_group.rg.name'), virtual_network_name: ref('azurerm_virtual_network.vnet.name') })),
    cfgRes('azurerm_public_ip.lb', 'azurerm_public_ip', { allocation_method: c('Static'), name: c('pip-lb'), sku: c('Standard'), resource_group_name: ref('azurerm_resource_group.rg.name') }),
    cfgRes('azurerm_lb.lb', 'azurerm_lb', { frontend_ip_configuration: [{ name: c('fe'), public_ip_address_id: ref('azurerm_public_ip.lb.id') }], name: c('lb'), sku: c('Standard'), resource_group_name: ref('azurerm_resource_group.rg.name') }),
    cfgRes('azurerm_lb_backend_address_pool.pool', 'azurerm_lb_backend_address_pool', { loadbalancer_id: ref('azurerm_lb.lb.id'), name: c('pool') }),
    cfgRes('azurerm_lb_rule.https', 'azurerm_lb_rule', { backend_address_pool_ids: ref('azurerm_lb_backend_address_pool.pool.id'), backend_port: c(443), frontend_ip_configuration_name: c('fe'), frontend_port: c(443), loadbalancer_id: ref('azurerm_lb.lb.id'), name: c('https'), protocol: c('Tcp') }),
    cfgRes('azurerm_public_ip.nat', 'azurerm_public_ip', { allocation_method: c('Static'), name: c('pip-nat'), sku: c('Standard'), resource_group_name: ref('azurerm_resource_group.rg.name') }),
    cfgRes('azurerm_nat_gateway.nat', 'azurerm_nat_gateway', { name: c('nat'), resource_group_name: ref('azurerm_resource_group.rg.name') }),
    cfgRes('azurerm_nat_gateway_public_ip_association.nat', 'azurerm_nat_gateway_public_ip_association', { nat_gateway_id: ref('azurerm_nat_gateway.nat.id'), public_ip_address_id: ref('azurerm_public_ip.nat.id') }),
    cfgRes('azurerm_subnet_nat_gateway_association.worker', 'azurerm_subnet_nat_gateway_association', { nat_gateway_id: ref('azurerm_nat_gateway.nat.id'), subnet_id: ref('azurerm_subnet.worker.id') }),
  ];
  // planned_values: the root module's resources, then one child module per tier.
  const entry = (i: Inst): Json => ({ address: i.address, mode: 'managed', type: i.type, name: i.name, ...(i.index !== undefined ? { index: i.index } : {}), provider_name: PROVIDER, schema_version: 0, values: i.values, sensitive_values: {} });
  const children = ['app', 'web', 'worker'].map((t) => ({ address: `module.${t}`, resources: instances.filter((i) => i.address.startsWith(`module.${t}.`)).map(entry) }));
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: {},
    planned_values: { root_module: { resources: instances.filter((i) => !i.address.startsWith('module.')).map(entry), child_modules: children } },
    resource_changes: instances.map((i) => ({ address: i.address, ...(i.address.startsWith('module.') ? { module_address: i.address.split('.').slice(0, 2).join('.') } : {}), mode: 'managed', type: i.type, name: i.name, ...(i.index !== undefined ? { index: i.index } : {}), provider_name: PROVIDER, change: { actions: ['create'], before: null, after: i.values, after_unknown: i.unknown, before_sensitive: false, after_sensitive: {} } })),
    configuration: { provider_config: { azurerm: { name: 'azurerm', full_name: PROVIDER, expressions: { features: [{}] } } }, root_module: { resources: root, module_calls: { app: call('app'), web: call('web'), worker: call('worker') } } },
    timestamp: '2025-06-02T09:14:27Z',
    applyable: true,
    complete: true,
    errored: false,
  };
  const dir = mkdtempSync(join(tmpdir(), 'egress-lint-tfplan-'));
  const file = join(dir, 'plan.json');
  const text = JSON.stringify(plan);
  writeFileSync(file, text);
  return { dir, file, resources: instances.length, vms: 3 * k, methods: { 'lb-rule-snat': k, 'instance-public-ip': k, 'nat-gateway': k }, bytes: Buffer.byteLength(text) };
}
