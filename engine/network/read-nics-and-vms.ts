// Readers of NICs and their ipconfigs, and of VMs and scale sets with the NIC configurations they own.
// Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, isObject } from '../expressions/value.js';
import type { IpConfig, NetworkGraph, Nic, Vm } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { keyOf } from './ids.js';
import { allocationOf, undecidedField } from './read-addresses.js';
import { boolOrUnknown, locationIn, maybeWhy, nodeBase, refAt, refListAt, skuOr, str, strOrUnknown, undecidedOf } from './read-values.js';
import { arrayAt, entries, placeOf, typed, unknownOf } from './read-typed.js';

/** `declaredAt` is where the ipConfigurations array is declared (entry i is at its pointer + /i). */
function readIpConfigs(g: NetworkGraph, nicKey: string, configList: readonly Value[], declaredAt: Location, managed: boolean): IpConfig[] {
  const out: IpConfig[] = [];
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const l: Location = { file: declaredAt.file, pointer: pointerJoin(declaredAt.pointer, i) };
    const name = str(typed(g, 'string', c, l, 'name'), `ipconfig${i + 1}`);
    let publicIp: IpConfig['publicIp'];
    if (managed) {
      const cfgAt = placeOf(c, l, 'properties', 'publicIPAddressConfiguration');
      const cfg = typed(g, 'object', c, l, 'properties', 'publicIPAddressConfiguration');
      if (cfg instanceof Unknown) publicIp = cfg;
      else if (isObject(cfg)) {
        const sku = skuOr(typed(g, 'string', cfg, cfgAt, 'sku', 'name'), 'Basic');
        const version = typed(g, 'string', cfg, cfgAt, 'properties', 'publicIPAddressVersion');
        const tier = typed(g, 'string', cfg, cfgAt, 'sku', 'tier');
        publicIp = {
          kind: 'managed',
          name: str(typed(g, 'string', cfg, cfgAt, 'name'), ''),
          sku,
          tier: str(tier, 'Regional'),
          allocation: allocationOf(typed(g, 'string', cfg, cfgAt, 'properties', 'publicIPAllocationMethod'), sku),
          prefix: refAt(g, cfg, cfgAt, 'properties', 'publicIPPrefix'),
          version: str(version, 'IPv4'),
          at: cfgAt,
          ...undecidedField(version, tier),
        };
      }
    } else {
      const pip = typed(g, 'object', c, l, 'properties', 'publicIPAddress');
      if (pip instanceof Unknown) publicIp = pip;
      else {
        const ref = refAt(g, c, l, 'properties', 'publicIPAddress');
        if (ref) publicIp = { kind: 'ref', ref, at: placeOf(c, l, 'properties', 'publicIPAddress') };
      }
    }
    const pools = refListAt(g, c, l, 'properties', 'loadBalancerBackendAddressPools');
    const version = typed(g, 'string', c, l, 'properties', 'privateIPAddressVersion');
    const ipc: IpConfig = {
      key: `${nicKey}/ipconfigurations/${name.toLowerCase()}`,
      name,
      nicKey,
      primary: boolOrUnknown(typed(g, 'boolean', c, l, 'properties', 'primary')),
      subnet: refAt(g, c, l, 'properties', 'subnet'),
      publicIp,
      privateIp: strOrUnknown(typed(g, 'string', c, l, 'properties', 'privateIPAddress')),
      version: str(version, 'IPv4'),
      // A pool list that is not known may hold this ipconfig in a pool whose rules decide its path (step 4).
      pools: pools.unknown ? [...pools.refs, { kind: 'unknown', value: pools.unknown }] : pools.refs,
      at: l,
      ...versionField(version),
    };
    out.push(ipc);
    g.ipConfigs.set(ipc.key, ipc);
  }
  return out;
}

export function readNic(g: NetworkGraph, r: SourceResource): Nic {
  const key = keyOf(r);
  const v = arrayAt(g, r.body, r.at, 'properties', 'ipConfigurations');
  return {
    kind: 'nic',
    ipConfigs: readIpConfigs(g, key, entries(v), locationIn(r, 'properties', 'ipConfigurations'), false),
    ipForwarding: typed(g, 'boolean', r.body, r.at, 'properties', 'enableIPForwarding') === true,
    managed: false,
    unknownIpConfigs: unknownOf(v),
    ...nodeBase(r),
  };
}

/** NIC configurations owned by a VM or scale set become NIC nodes keyed under their owner. */
function readManagedNics(g: NetworkGraph, r: SourceResource, vm: Vm, configList: readonly Value[], pathToConfigs: (string | number)[]): void {
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const cloc = locationIn(r, ...pathToConfigs, i);
    const name = str(typed(g, 'string', c, cloc, 'name'), `nic${i}`);
    const key = `${keyOf(r)}/networkinterfaceconfigurations/${name.toLowerCase()}`;
    const ips = arrayAt(g, c, cloc, 'properties', 'ipConfigurations');
    const nic: Nic = {
      key,
      id: key,
      name: `${r.name}/${name}`,
      type: 'Microsoft.Network/networkInterfaces',
      at: cloc,
      maybe: r.condition instanceof Unknown,
      maybeWhy: maybeWhy(r.condition),
      existing: false,
      kind: 'nic',
      ipConfigs: readIpConfigs(g, key, entries(ips), placeOf(c, cloc, 'properties', 'ipConfigurations'), true),
      ipForwarding: typed(g, 'boolean', c, cloc, 'properties', 'enableIPForwarding') === true,
      managed: true,
      unknownIpConfigs: unknownOf(ips),
    };
    g.nodes.set(key, nic);
    vm.nics.push({ nic: { kind: 'found', key }, primary: boolOrUnknown(typed(g, 'boolean', c, cloc, 'properties', 'primary')), at: cloc });
  }
}

/** A VM or scale set; what it reads of `properties` is listed in reads.ts (VM_PROPERTIES), which a test keeps in step. */
export function readVm(g: NetworkGraph, r: SourceResource): Vm {
  const scaleSet = r.type.toLowerCase() === GRAPH_TYPES.vmss;
  const profilePath = scaleSet ? ['properties', 'virtualMachineProfile', 'networkProfile'] : ['properties', 'networkProfile'];
  const profile = typed(g, 'object', r.body, r.at, ...profilePath);
  const mode = typed(g, 'string', r.body, r.at, 'properties', 'orchestrationMode');
  const vm: Vm = {
    kind: 'vm',
    scaleSet,
    orchestrationMode: typeof mode === 'string' ? mode : scaleSet ? 'Uniform' : undefined,
    nics: [],
    availabilitySet: refAt(g, r.body, r.at, 'properties', 'availabilitySet'),
    scaleSetRef: refAt(g, r.body, r.at, 'properties', 'virtualMachineScaleSet'),
    unknownNics: profile instanceof Unknown ? profile : mode instanceof Unknown && mode.cause === 'error' ? mode : undefined,
    ...nodeBase(r),
  };
  const nis = arrayAt(g, r.body, r.at, ...profilePath, 'networkInterfaces');
  if (nis instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = nis;
  const nicList = entries(nis);
  for (let i = 0; i < nicList.length; i++) {
    const n = nicList[i];
    const loc = locationIn(r, ...profilePath, 'networkInterfaces', i);
    const ref = refAt(g, n, loc);
    if (ref) vm.nics.push({ nic: ref, primary: boolOrUnknown(typed(g, 'boolean', n, loc, 'properties', 'primary')), at: loc });
  }
  const configs = arrayAt(g, r.body, r.at, ...profilePath, 'networkInterfaceConfigurations');
  if (configs instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = configs;
  readManagedNics(g, r, vm, entries(configs), [...profilePath, 'networkInterfaceConfigurations']);
  return vm;
}

/** The `undecidedVersion` field of an ipconfig whose IP version is known only at deployment. */
function versionField(version: Value | undefined): { undecidedVersion?: Unknown } {
  const u = undecidedOf(version);
  return u ? { undecidedVersion: u } : {};
}
