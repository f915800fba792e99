// The words of a finding about a translated resource: the rules and the resolver word their messages, help and
// reasons in ARM's property names (`defaultOutboundAccess: false`, `disableOutboundSnat`), which a Terraform author
// never wrote. For each azurerm type, the table below gives the ARM property path of the resource it deploys and the
// attribute (or association resource) that sets it; a text rendered about a plan or state is reworded through it, so
// the author reads `default_outbound_access_enabled = false`. An azapi_resource's body is ARM's: its words stay.
// Imports nothing: the plan's documents call it through TemplateDoc.reword (placement.ts's PlacedDoc).

/**
 * Per azurerm type: the ARM type it deploys, and ARM property path → the attribute that sets it (dotted, blocks by
 * name). A path names what ARM writes (`[]` an array entry); an attribute with a space is a phrase used as written.
 * Attribute names follow the azurerm provider's documentation, 4.x names first
 * (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs).
 */
const ATTRIBUTES: readonly (readonly [string, string, readonly (readonly [string, string])[]])[] = [
  [
    'azurerm_network_interface',
    'Microsoft.Network/networkInterfaces',
    [
      ['properties.ipConfigurations', 'ip_configuration'],
      ['properties.ipConfigurations[].properties.primary', 'ip_configuration.primary'],
      ['properties.ipConfigurations[].properties.publicIPAddress', 'ip_configuration.public_ip_address_id'],
      ['properties.ipConfigurations[].properties.subnet', 'ip_configuration.subnet_id'],
      ['properties.ipConfigurations[].properties.privateIPAddressVersion', 'ip_configuration.private_ip_address_version'],
      ['properties.ipConfigurations[].properties.loadBalancerBackendAddressPools', 'azurerm_network_interface_backend_address_pool_association'],
      ['properties.enableIPForwarding', 'ip_forwarding_enabled'],
    ],
  ],
  [
    'azurerm_public_ip',
    'Microsoft.Network/publicIPAddresses',
    [
      ['sku.name', 'sku'],
      ['sku.tier', 'sku_tier'],
      ['properties.publicIPAllocationMethod', 'allocation_method'],
      ['properties.publicIPAddressVersion', 'ip_version'],
      ['properties.publicIPPrefix', 'public_ip_prefix_id'],
      ['properties.ipAddress', 'ip_address'],
    ],
  ],
  ['azurerm_public_ip_prefix', 'Microsoft.Network/publicIPPrefixes', [['sku.name', 'sku'], ['properties.prefixLength', 'prefix_length'], ['properties.ipPrefix', 'ip_prefix']]],
  [
    'azurerm_nat_gateway',
    'Microsoft.Network/natGateways',
    [
      ['sku.name', 'sku_name'],
      ['properties.publicIpAddresses', 'azurerm_nat_gateway_public_ip_association'],
      ['properties.publicIpPrefixes', 'azurerm_nat_gateway_public_ip_prefix_association'],
    ],
  ],
  [
    'azurerm_subnet',
    'Microsoft.Network/virtualNetworks/subnets',
    [
      ['properties.defaultOutboundAccess', 'default_outbound_access_enabled'],
      ['properties.natGateway', 'azurerm_subnet_nat_gateway_association'],
      ['properties.routeTable', 'azurerm_subnet_route_table_association'],
      ['properties.addressPrefixes', 'address_prefixes'],
    ],
  ],
  [
    'azurerm_virtual_network',
    'Microsoft.Network/virtualNetworks',
    [
      ['properties.subnets[].properties.defaultOutboundAccess', 'subnet.default_outbound_access_enabled'],
      ['properties.subnets[].properties.routeTable', 'subnet.route_table_id'],
      ['properties.subnets', 'subnet'],
    ],
  ],
  ['azurerm_route_table', 'Microsoft.Network/routeTables', [['properties.routes', 'route'], ['properties.routes[].properties.nextHopIpAddress', 'route.next_hop_in_ip_address']]],
  ['azurerm_route', 'Microsoft.Network/routeTables/routes', [['properties.nextHopIpAddress', 'next_hop_in_ip_address'], ['properties.nextHopType', 'next_hop_type']]],
  [
    'azurerm_lb',
    'Microsoft.Network/loadBalancers',
    [
      ['sku.name', 'sku'],
      ['properties.frontendIPConfigurations', 'frontend_ip_configuration'],
      ['properties.loadBalancingRules[].properties.disableOutboundSnat', 'disable_outbound_snat'],
      ['properties.outboundRules', 'azurerm_lb_outbound_rule'],
    ],
  ],
  [
    'azurerm_linux_virtual_machine_scale_set',
    'Microsoft.Compute/virtualMachineScaleSets',
    [
      ['properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].properties.ipConfigurations[].properties.publicIPAddressConfiguration', 'network_interface.ip_configuration.public_ip_address'],
      ['properties.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[].properties.ipConfigurations[].properties.primary', 'network_interface.ip_configuration.primary'],
    ],
  ],
  [
    'azurerm_kubernetes_cluster',
    'Microsoft.ContainerService/managedClusters',
    [
      ['properties.networkProfile.loadBalancerSku', 'network_profile.load_balancer_sku'],
      ['properties.networkProfile.outboundType', 'network_profile.outbound_type'],
      ['properties.agentPoolProfiles[].vnetSubnetID', 'default_node_pool.vnet_subnet_id'],
      ['properties.agentPoolProfiles[].enableNodePublicIP', 'default_node_pool.node_public_ip_enabled'],
      ['properties.agentPoolProfiles[].nodePublicIPPrefixID', 'default_node_pool.node_public_ip_prefix_id'],
    ],
  ],
  [
    'azurerm_kubernetes_cluster_node_pool',
    'Microsoft.ContainerService/managedClusters/agentPools',
    [
      ['properties.vnetSubnetID', 'vnet_subnet_id'],
      ['properties.enableNodePublicIP', 'node_public_ip_enabled'],
      ['properties.nodePublicIPPrefixID', 'node_public_ip_prefix_id'],
    ],
  ],
  [
    'azurerm_firewall',
    'Microsoft.Network/azureFirewalls',
    [
      ['properties.ipConfigurations', 'ip_configuration'],
      ['properties.hubIPAddresses.publicIPs.count', 'virtual_hub.public_ip_count'],
      ['properties.hubIPAddresses.publicIPs.addresses', 'virtual_hub.public_ip_addresses'],
      ['properties.hubIPAddresses.publicIPs', 'virtual_hub.public_ip_addresses'],
    ],
  ],
  ['azurerm_virtual_network_gateway', 'Microsoft.Network/virtualNetworkGateways', [['properties.enableBgp', 'bgp_enabled'], ['properties.gatewayDefaultSite', 'default_local_network_gateway_id']]],
  ['azurerm_virtual_network_peering', 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', [['properties.useRemoteGateways', 'use_remote_gateways'], ['properties.allowGatewayTransit', 'allow_gateway_transit']]],
  ['azurerm_virtual_hub_connection', 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections', [['properties.enableInternetSecurity', 'internet_security_enabled']]],
];

const VMS = ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine'];
const SCALE_SETS = ['azurerm_linux_virtual_machine_scale_set', 'azurerm_windows_virtual_machine_scale_set', 'azurerm_orchestrated_virtual_machine_scale_set'];

/**
 * Phrases of the rules' texts that Terraform says differently, not word for word: ARM phrase, the Terraform one, and
 * the types of resource a finding must be about for it (otherwise only the phrase's property names are reworded).
 */
const PHRASES_BY_TYPE: readonly (readonly [string, string, readonly string[]])[] = [
  // A VM's primary NIC is not a flag on the NIC in azurerm: the first of network_interface_ids (the provider's
  // docs), or the legacy azurerm_virtual_machine's primary_network_interface_id.
  [
    'Set properties.primary: true on exactly one network interface of the VM and on exactly one IPv4 IP configuration of each NIC',
    'Make one network interface of the VM primary (the first of network_interface_ids; primary_network_interface_id of an azurerm_virtual_machine) and set primary = true on exactly one IPv4 ip_configuration of each NIC',
    ['azurerm_network_interface', ...VMS],
  ],
  ['none of them sets primary: true', 'primary_network_interface_id names none of them', ['azurerm_virtual_machine']],
  ['publicIPPrefix on the publicIPAddressConfiguration', 'public_ip_prefix_id in the public_ip_address block of the ip_configuration', SCALE_SETS],
  // unresolved-egress's help speaks of linked templates and parameter files; a plan has neither ('*': any resource).
  [
    "Lint the files that declare the missing resources together (linked templates, parameter files), or replace values known only at deployment with literals or parameters that have values. A linked template is read from disk when it is linked by templateLink.relativePath, or by a uri built from deployment().properties.templateLink.uri or _artifactsLocation, or when 'links' in egress-lint.config.json maps its URL prefix to a local folder; a template spec or any other URL is never read.",
    'A plan or state is read on its own: resources outside it (data sources, resources of another configuration) are not read, and neither are values a plan does not describe (local values, dynamic blocks, a conditional or splat between resources). Reference the resources it creates directly; lint a plan in the folder of its configuration, so that the .tf source beside it shows the blocks the plan leaves out; or lint the state after apply, which knows the ids and addresses of what it deploys.',
    ['*'],
  ],
];

/** Types whose words are another type's (the same ARM resource, the same attributes). */
const SAME_WORDS: readonly (readonly [string, string])[] = [
  ['azurerm_windows_virtual_machine_scale_set', 'azurerm_linux_virtual_machine_scale_set'],
  ['azurerm_orchestrated_virtual_machine_scale_set', 'azurerm_linux_virtual_machine_scale_set'],
];

/** One way a text writes an ARM property, and what an azurerm type writes instead. */
interface Form {
  readonly tf: string;
  /** The ARM type whose property it is. */
  readonly arm: string;
}

/** Every form of every table: ARM text → azurerm type → its words. Forms are looked up longest first. */
const FORMS = new Map<string, Map<string, Form>>();

/** True when a form is a property name, not an English word (`primary` alone is both: only `primary: true` is). */
function distinctive(form: string): boolean {
  return /[A-Z.\s]/.test(form);
}

function addForm(arm: string, tfType: string, armType: string, tf: string): void {
  let byType = FORMS.get(arm);
  if (!byType) FORMS.set(arm, (byType = new Map()));
  if (!byType.has(tfType)) byType.set(tfType, { tf, arm: armType });
}

/**
 * The ways the engine's texts write an ARM path, each with its azurerm words: the path itself, without
 * `properties.`, and each shorter tail of it (`networkProfile.loadBalancerSku`, `loadBalancerSku`) with the same
 * number of the attribute's last names (`network_profile.load_balancer_sku`, `load_balancer_sku`); a tail that is
 * an English word too is read only with its value (`primary: true` → `primary = true`).
 */
function addPath(tfType: string, armType: string, path: string, attribute: string): void {
  const names: string[] = [];
  for (const s of path.replace(/\[\]/g, '').split('.')) if (s !== 'properties') names.push(s);
  const attr = attribute.split('.');
  for (let k = names.length; k >= 1; k--) {
    const form = names.slice(names.length - k).join('.');
    const words = attr.slice(Math.max(0, attr.length - k)).join('.');
    // An association resource is named whole: `natGateway` is set by azurerm_subnet_nat_gateway_association.
    const tf = attribute.startsWith('azurerm_') ? attribute : words;
    for (const value of ['true', 'false']) addForm(`${form}: ${value}`, tfType, armType, `${tf} = ${value}`);
    if (distinctive(form)) addForm(form, tfType, armType, tf);
  }
}

for (const [tfType, armType, paths] of ATTRIBUTES) for (const [path, attribute] of paths) addPath(tfType, armType, path, attribute);
for (const [tfType, same] of SAME_WORDS) {
  for (const byType of FORMS.values()) {
    const f = byType.get(same);
    if (f) byType.set(tfType, f);
  }
}

const PHRASES = new Set<string>();
for (const [arm, tf, types] of PHRASES_BY_TYPE) {
  PHRASES.add(arm);
  for (const t of types) addForm(arm, t, '', tf);
}

function longestFirst(a: string, b: string): number {
  return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The forms by their first word, longest first: a text is scanned word by word, without one large expression. */
const BY_FIRST = new Map<string, string[]>();
for (const f of FORMS.keys()) {
  const first = /^[A-Za-z0-9_]+/.exec(f)![0];
  const list = BY_FIRST.get(first);
  if (list) list.push(f);
  else BY_FIRST.set(first, [f]);
}
for (const list of BY_FIRST.values()) list.sort(longestFirst);

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

const DOT = 46;

/** The end of the word that starts at `i`. */
function wordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isWordCode(text.charCodeAt(j))) j++;
  return j;
}

/** The longest form written at `start` (ending at a word boundary), if any; phrases only when asked. */
function formAt(text: string, start: number, withPhrases: boolean): string | undefined {
  const list = BY_FIRST.get(text.slice(start, wordEnd(text, start)));
  if (!list) return undefined;
  for (const f of list) {
    if (!withPhrases && PHRASES.has(f)) continue;
    if (text.startsWith(f, start) && !isWordCode(text.charCodeAt(start + f.length))) return f;
  }
  return undefined;
}

const QUOTE = 39;

/**
 * The spans of a text quoted as names (`'subnet-a'`): a resource named like a property keeps its name. Given the
 * quote open at `from` (its index, or -1), the one open at `to`: a quote opens after a non-word character and closes
 * before one (`it's` neither). Read on from where the last call stopped, so a text is read once however many forms.
 */
function quoteOpenAt(text: string, from: number, to: number, open: number): number {
  let o = open;
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) !== QUOTE) continue;
    if (o < 0) {
      if (!isWordCode(text.charCodeAt(i - 1))) o = i;
    } else if (!isWordCode(text.charCodeAt(i + 1))) o = -1;
  }
  return o;
}

/** True when a phrase is said of a finding about `at`: a phrase of its type, or of any resource of a plan. */
function owns(byType: ReadonlyMap<string, Form>, at: { readonly tf: string } | undefined): boolean {
  return byType.has('*') || (at !== undefined && byType.has(at.tf));
}

/** What a plan's resources are: by the pointer of each one's entry, its Terraform type and the ARM type it deploys. */
export class Wording {
  private readonly entries = new Map<string, { readonly tf: string; readonly arm: string }>();
  /** The Terraform types in the plan deploying each ARM type (`azapi_resource` for an azapi body). */
  private readonly byArm = new Map<string, string[]>();

  add(pointer: string, tfType: string, armType: string): void {
    this.entries.set(pointer, { tf: tfType, arm: armType });
    const list = this.byArm.get(armType);
    if (!list) this.byArm.set(armType, [tfType]);
    else if (!list.includes(tfType)) list.push(tfType);
  }

  /** The resource whose entry holds a pointer (the translated resource a finding is about). */
  private resourceAt(pointer: string): { readonly tf: string; readonly arm: string } | undefined {
    let p = pointer;
    for (;;) {
      const hit = this.entries.get(p);
      if (hit) return hit;
      const cut = p.lastIndexOf('/');
      if (cut <= 0) return undefined;
      p = p.slice(0, cut);
    }
  }

  /**
   * The words of one form for a finding about `at`: the azurerm words of that resource when the form is its
   * property; else those of the plan's resources of the ARM type the form belongs to; ARM's own when they are
   * azapi_resource bodies (both when the plan has both); azurerm's when the plan has none of that type.
   */
  private wordsOf(form: string, at: { readonly tf: string; readonly arm: string } | undefined): string {
    const byType = FORMS.get(form)!;
    const any = byType.get('*');
    if (any) return any.tf;
    if (at) {
      const own = byType.get(at.tf);
      if (own) return own.tf;
      if (at.tf === 'azapi_resource') for (const f of byType.values()) if (f.arm === at.arm) return form;
    }
    const tf: string[] = [];
    let azapi = false;
    for (const [tfType, f] of byType) {
      const present = this.byArm.get(f.arm);
      if (!present) continue;
      if (present.includes(tfType) && !tf.includes(f.tf)) tf.push(f.tf);
      if (present.includes('azapi_resource')) azapi = true;
    }
    if (tf.length === 0) return azapi ? form : byType.values().next().value!.tf;
    const words = tf.join(' or ');
    return azapi ? `${words} (${form} in an azapi_resource body)` : words;
  }

  /** A text about the resource at `pointer` in the words its source uses. */
  reword(pointer: string, text: string): string {
    return this.rewordWith(text, pointer, undefined, true);
  }

  /**
   * Rewords each form of a text, word by word: a form starts a word not after a '.' (`properties.` before it is
   * part of it: `properties.primary: true` is `primary: true`), outside a quoted name. The resource is looked up at
   * the first form found.
   */
  private rewordWith(text: string, pointer: string, found: { readonly tf: string; readonly arm: string } | undefined, withPhrases: boolean): string {
    let at = found;
    let looked = found !== undefined;
    let out = '';
    let last = 0;
    let i = 0;
    // The quote open at `scanned` (quoteOpenAt).
    let scanned = 0;
    let open = -1;
    while (i < text.length) {
      if (!isWordCode(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const end = wordEnd(text, i);
      let start = i;
      if (end - i === 10 && text.startsWith('properties', i) && text.charCodeAt(end) === DOT) start = end + 1;
      const form = i > 0 && text.charCodeAt(i - 1) === DOT ? undefined : formAt(text, start, withPhrases);
      if (form !== undefined) {
        open = quoteOpenAt(text, scanned, i, open);
        scanned = i;
      }
      if (form === undefined || open >= 0) {
        i = end;
        continue;
      }
      if (!looked) {
        at = this.resourceAt(pointer);
        looked = true;
      }
      // A phrase about another type of resource: only its property names are reworded.
      const words = PHRASES.has(form) && !owns(FORMS.get(form)!, at) ? this.rewordWith(form, pointer, at, false) : this.wordsOf(form, at);
      const stop = start + form.length;
      out += text.slice(last, i) + (words === form ? text.slice(i, stop) : words);
      last = stop;
      i = stop;
    }
    return last === 0 ? text : out + text.slice(last);
  }
}
