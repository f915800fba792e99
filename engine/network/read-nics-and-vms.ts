// Readers of NICs and their ipconfigs, and of VMs and scale sets with the NIC configurations they own.
// Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import { pointerJoin } from '../template/template.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown, getProp, isObject } from '../expressions/value.js';
import type { IpConfig, NetworkGraph, Nic, Vm } from './graph.js';
import { GRAPH_TYPES } from './reads.js';
import { keyOf } from './ids.js';
import { allocationOf, undecidedField } from './read-addresses.js';
import { boolOrUnknown, list, locationIn, maybeWhy, nodeBase, prop, refList, skuOr, str, strOrUnknown, undecidedOf } from './read-values.js';

/** `declaredAt` is where the ipConfigurations array is declared (entry i is at its pointer + /i). */
function readIpConfigs(g: NetworkGraph, nicKey: string, v: Value | undefined, declaredAt: Location, managed: boolean): IpConfig[] {
  const out: IpConfig[] = [];
  const configList = list(v);
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const p = prop(c, 'properties');
    const name = str(prop(c, 'name'), `ipconfig${i + 1}`);
    const l: Location = { file: declaredAt.file, pointer: pointerJoin(declaredAt.pointer, i) };
    let publicIp: IpConfig['publicIp'];
    if (managed) {
      const cfg = prop(p, 'publicIPAddressConfiguration');
      if (cfg instanceof Unknown) publicIp = cfg;
      else if (isObject(cfg)) {
        const sku = skuOr(prop(cfg, 'sku', 'name'), 'Basic');
        publicIp = {
          kind: 'managed',
          name: str(prop(cfg, 'name'), ''),
          sku,
          tier: str(prop(cfg, 'sku', 'tier'), 'Regional'),
          allocation: allocationOf(prop(cfg, 'properties', 'publicIPAllocationMethod'), sku),
          prefix: g.ref(prop(cfg, 'properties', 'publicIPPrefix')),
          version: str(prop(cfg, 'properties', 'publicIPAddressVersion'), 'IPv4'),
          at: { file: l.file, pointer: pointerJoin(pointerJoin(l.pointer, 'properties'), 'publicIPAddressConfiguration') },
          ...undecidedField(prop(cfg, 'properties', 'publicIPAddressVersion'), prop(cfg, 'sku', 'tier')),
        };
      }
    } else {
      const pip = prop(p, 'publicIPAddress');
      if (pip instanceof Unknown) publicIp = pip;
      else {
        const ref = g.ref(pip);
        if (ref) publicIp = { kind: 'ref', ref, at: { file: l.file, pointer: pointerJoin(pointerJoin(l.pointer, 'properties'), 'publicIPAddress') } };
      }
    }
    const pools = refList(g, prop(p, 'loadBalancerBackendAddressPools')).refs;
    const ipc: IpConfig = {
      key: `${nicKey}/ipconfigurations/${name.toLowerCase()}`,
      name,
      nicKey,
      primary: boolOrUnknown(prop(p, 'primary')),
      subnet: g.ref(prop(p, 'subnet')),
      publicIp,
      privateIp: strOrUnknown(prop(p, 'privateIPAddress')),
      version: str(prop(p, 'privateIPAddressVersion'), 'IPv4'),
      pools,
      at: l,
      ...versionField(prop(p, 'privateIPAddressVersion')),
    };
    out.push(ipc);
    g.ipConfigs.set(ipc.key, ipc);
  }
  return out;
}

export function readNic(g: NetworkGraph, r: SourceResource): Nic {
  const key = keyOf(r);
  const v = prop(r.body, 'properties', 'ipConfigurations');
  return {
    kind: 'nic',
    ipConfigs: readIpConfigs(g, key, v, locationIn(r, 'properties', 'ipConfigurations'), false),
    ipForwarding: prop(r.body, 'properties', 'enableIPForwarding') === true,
    managed: false,
    unknownIpConfigs: v instanceof Unknown ? v : undefined,
    ...nodeBase(r),
  };
}

/** NIC configurations owned by a VM or scale set become NIC nodes keyed under their owner. */
function readManagedNics(g: NetworkGraph, r: SourceResource, vm: Vm, configs: Value | undefined, pathToConfigs: (string | number)[]): void {
  if (configs instanceof Unknown) return;
  const configList = list(configs);
  for (let i = 0; i < configList.length; i++) {
    const c = configList[i];
    const name = str(prop(c, 'name'), `nic${i}`);
    const key = `${keyOf(r)}/networkinterfaceconfigurations/${name.toLowerCase()}`;
    const cloc = locationIn(r, ...pathToConfigs, i);
    const ips = prop(c, 'properties', 'ipConfigurations');
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
      ipConfigs: readIpConfigs(g, key, ips, { file: cloc.file, pointer: pointerJoin(pointerJoin(cloc.pointer, 'properties'), 'ipConfigurations') }, true),
      ipForwarding: prop(c, 'properties', 'enableIPForwarding') === true,
      managed: true,
      unknownIpConfigs: ips instanceof Unknown ? ips : undefined,
    };
    g.nodes.set(key, nic);
    vm.nics.push({ nic: { kind: 'found', key }, primary: boolOrUnknown(prop(c, 'properties', 'primary')), at: cloc });
  }
}

/** A VM or scale set; what it reads of `properties` is listed in reads.ts (VM_PROPERTIES), which a test keeps in step. */
export function readVm(g: NetworkGraph, r: SourceResource): Vm {
  const scaleSet = r.type.toLowerCase() === GRAPH_TYPES.vmss;
  const profile = scaleSet ? prop(r.body, 'properties', 'virtualMachineProfile', 'networkProfile') : prop(r.body, 'properties', 'networkProfile');
  const mode = prop(r.body, 'properties', 'orchestrationMode');
  const vm: Vm = {
    kind: 'vm',
    scaleSet,
    orchestrationMode: typeof mode === 'string' ? mode : scaleSet ? 'Uniform' : undefined,
    nics: [],
    availabilitySet: g.ref(prop(r.body, 'properties', 'availabilitySet')),
    scaleSetRef: g.ref(prop(r.body, 'properties', 'virtualMachineScaleSet')),
    unknownNics: profile instanceof Unknown ? profile : undefined,
    ...nodeBase(r),
  };
  const nis = prop(profile, 'networkInterfaces');
  if (nis instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = nis;
  const nicList = list(nis);
  for (let i = 0; i < nicList.length; i++) {
    const n = nicList[i];
    const ref = g.ref(n);
    const loc = locationIn(r, 'properties', 'networkProfile', 'networkInterfaces', i);
    if (ref) vm.nics.push({ nic: ref, primary: boolOrUnknown(prop(n, 'properties', 'primary')), at: loc });
    else if (isObject(n) && getProp(n, 'id') instanceof Unknown) vm.nics.push({ nic: { kind: 'unknown', value: getProp(n, 'id') as Unknown }, primary: undefined, at: loc });
  }
  const configs = prop(profile, 'networkInterfaceConfigurations');
  if (configs instanceof Unknown && !vm.unknownNics) (vm as { unknownNics: Unknown | undefined }).unknownNics = configs;
  const path = scaleSet ? ['properties', 'virtualMachineProfile', 'networkProfile', 'networkInterfaceConfigurations'] : ['properties', 'networkProfile', 'networkInterfaceConfigurations'];
  readManagedNics(g, r, vm, configs, path);
  return vm;
}

/** The `undecidedVersion` field of an ipconfig whose IP version is known only at deployment. */
function versionField(version: Value | undefined): { undecidedVersion?: Unknown } {
  const u = undecidedOf(version);
  return u ? { undecidedVersion: u } : {};
}
