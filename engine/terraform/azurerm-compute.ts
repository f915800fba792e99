// azurerm's NICs, VMs and scale sets in ARM's shape: a NIC's ip_configuration blocks, a VM's NIC list (the provider
// makes the first of network_interface_ids the primary NIC; the legacy azurerm_virtual_machine the one
// primary_network_interface_id names), and a scale set's network_interface blocks as ARM's network interface
// configurations. Imports expressions/ only, besides engine/terraform/.
import { Unknown } from '../expressions/value.js';
import type { Value } from '../expressions/value.js';
import type { Instance } from './plan.js';
import type { Reader } from './reader.js';
import type { Step } from './references.js';
import type { ArmPath, Translated, Translation } from './translation.js';
import { block, idRef, obj, put, setAt } from './translation.js';
import { blocks, either, idList } from './azurerm-network.js';

/** Network interface: its ip_configuration blocks and IP forwarding (4.x ip_forwarding_enabled, 3.x enable_ip_forwarding). */
export function networkInterface(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  const fwd = either(r, inst, ['ip_forwarding_enabled', 'enable_ip_forwarding']);
  put(t, ['properties', 'enableIPForwarding'], fwd.v, [fwd.name]);
  const n = blocks(r, inst, ['ip_configuration']);
  setAt(t.body, ['properties', 'ipConfigurations'], []);
  for (let i = 0; i < n; i++) {
    const arm: ArmPath = ['properties', 'ipConfigurations', i];
    const p: Step[] = ['ip_configuration', i];
    block(t, arm, p);
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    const props: ArmPath = [...arm, 'properties'];
    setAt(t.body, props, obj());
    put(t, [...props, 'subnet'], idRef(r.value(inst, [...p, 'subnet_id'], 'id')), [...p, 'subnet_id']);
    put(t, [...props, 'publicIPAddress'], idRef(r.value(inst, [...p, 'public_ip_address_id'], 'id')), [...p, 'public_ip_address_id']);
    // "Must be true for the first ip_configuration when multiple are specified. Defaults to false." (the provider's docs)
    put(t, [...props, 'primary'], r.value(inst, [...p, 'primary'], 'value'), [...p, 'primary']);
    put(t, [...props, 'privateIPAddressVersion'], r.value(inst, [...p, 'private_ip_address_version'], 'value'), [...p, 'private_ip_address_version']);
    put(t, [...props, 'privateIPAddress'], r.value(inst, [...p, 'private_ip_address'], 'value'), [...p, 'private_ip_address']);
  }
}

/** The VM's NIC references: each id with its primary flag. */
function nicReferences(t: Translated, ids: Value[] | Unknown | undefined, primary: (id: Value, i: number) => Value): void {
  if (ids === undefined) return;
  const arm: ArmPath = ['properties', 'networkProfile', 'networkInterfaces'];
  if (ids instanceof Unknown) {
    put(t, arm, ids, ['network_interface_ids']);
    return;
  }
  setAt(t.body, arm, []);
  for (let i = 0; i < ids.length; i++) {
    const ref = obj();
    ref.id = ids[i];
    const props = obj();
    props.primary = primary(ids[i], i);
    ref.properties = props;
    put(t, [...arm, i], ref, ['network_interface_ids', i]);
  }
}

function firstIsPrimary(_id: Value, i: number): Value {
  return i === 0;
}

/**
 * azurerm_linux_virtual_machine, azurerm_windows_virtual_machine: "The first Network Interface ID in this list will be
 * the Primary Network Interface on the Virtual Machine" (the provider's docs; it sends primary = (i == 0)).
 */
export function virtualMachine(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  nicReferences(t, idList(r, inst, ['network_interface_ids']), firstIsPrimary);
  put(t, ['properties', 'availabilitySet'], idRef(r.value(inst, ['availability_set_id'], 'id')), ['availability_set_id']);
  put(t, ['properties', 'virtualMachineScaleSet'], idRef(r.value(inst, ['virtual_machine_scale_set_id'], 'id')), ['virtual_machine_scale_set_id']);
}

/** The legacy azurerm_virtual_machine: primary is the NIC whose id equals primary_network_interface_id (none when unset). */
export function legacyVirtualMachine(tr: Translation, inst: Instance, t: Translated): void {
  const r = tr.reader;
  const primaryId = r.value(inst, ['primary_network_interface_id'], 'id');
  nicReferences(t, idList(r, inst, ['network_interface_ids']), (id) => {
    if (primaryId instanceof Unknown) return primaryId;
    if (id instanceof Unknown) return id;
    return typeof id === 'string' && typeof primaryId === 'string' && id.toLowerCase() === primaryId.toLowerCase();
  });
  put(t, ['properties', 'availabilitySet'], idRef(r.value(inst, ['availability_set_id'], 'id')), ['availability_set_id']);
}

/** A list of ids as ARM references (`[{ "id": … }]`), or the Unknown that stands for the list. */
function refs(ids: Value[] | Unknown | undefined): Value | undefined {
  if (ids === undefined || ids instanceof Unknown) return ids;
  const out: Value[] = [];
  for (const id of ids) out.push(idRef(id) ?? null);
  return out;
}

/**
 * A scale set's network_interface blocks as ARM's networkInterfaceConfigurations. The provider sends the public IP
 * configuration without a SKU for a Uniform scale set, and with the `sku_name` ("Standard_Regional") of an
 * orchestrated one.
 */
function scaleSetNics(tr: Translation, inst: Instance, t: Translated, flexible: boolean): void {
  const r = tr.reader;
  const base: ArmPath = ['properties', 'virtualMachineProfile', 'networkProfile', 'networkInterfaceConfigurations'];
  const n = blocks(r, inst, ['network_interface']);
  if (r.unknownAt(inst, ['network_interface'])) {
    put(t, base, new Unknown('runtime', `${inst.address}.network_interface is known only after apply`), ['network_interface']);
    return;
  }
  if (n === 0 && flexible) return;
  setAt(t.body, base, []);
  for (let i = 0; i < n; i++) {
    const p: Step[] = ['network_interface', i];
    const arm: ArmPath = [...base, i];
    block(t, arm, p);
    put(t, [...arm, 'name'], r.value(inst, [...p, 'name'], 'value'), [...p, 'name']);
    setAt(t.body, [...arm, 'properties'], obj());
    put(t, [...arm, 'properties', 'primary'], r.value(inst, [...p, 'primary'], 'value'), [...p, 'primary']);
    for (const name of ['ip_forwarding_enabled', 'enable_ip_forwarding']) {
      const fwd = r.value(inst, [...p, name], 'value');
      if (fwd !== undefined) {
        put(t, [...arm, 'properties', 'enableIPForwarding'], fwd, [...p, name]);
        break;
      }
    }
    const m = blocks(r, inst, [...p, 'ip_configuration']);
    setAt(t.body, [...arm, 'properties', 'ipConfigurations'], []);
    for (let j = 0; j < m; j++) {
      const q: Step[] = [...p, 'ip_configuration', j];
      const c: ArmPath = [...arm, 'properties', 'ipConfigurations', j];
      block(t, c, q);
      put(t, [...c, 'name'], r.value(inst, [...q, 'name'], 'value'), [...q, 'name']);
      setAt(t.body, [...c, 'properties'], obj());
      put(t, [...c, 'properties', 'primary'], r.value(inst, [...q, 'primary'], 'value'), [...q, 'primary']);
      put(t, [...c, 'properties', 'subnet'], idRef(r.value(inst, [...q, 'subnet_id'], 'id')), [...q, 'subnet_id']);
      put(t, [...c, 'properties', 'privateIPAddressVersion'], r.value(inst, [...q, 'version'], 'value'), [...q, 'version']);
      put(t, [...c, 'properties', 'loadBalancerBackendAddressPools'], refs(idList(r, inst, [...q, 'load_balancer_backend_address_pool_ids'])), [...q, 'load_balancer_backend_address_pool_ids']);
      if (blocks(r, inst, [...q, 'public_ip_address']) === 0) continue;
      const pq: Step[] = [...q, 'public_ip_address', 0];
      const pc: ArmPath = [...c, 'properties', 'publicIPAddressConfiguration'];
      block(t, pc, pq);
      put(t, [...pc, 'name'], r.value(inst, [...pq, 'name'], 'value'), [...pq, 'name']);
      setAt(t.body, [...pc, 'properties'], obj());
      put(t, [...pc, 'properties', 'publicIPPrefix'], idRef(r.value(inst, [...pq, 'public_ip_prefix_id'], 'id')), [...pq, 'public_ip_prefix_id']);
      put(t, [...pc, 'properties', 'publicIPAddressVersion'], r.value(inst, [...pq, 'version'], 'value'), [...pq, 'version']);
      if (flexible) {
        const sku = r.value(inst, [...pq, 'sku_name'], 'value');
        const parts = typeof sku === 'string' ? sku.split('_') : undefined;
        put(t, [...pc, 'sku', 'name'], parts ? parts[0] : sku, [...pq, 'sku_name']);
        if (parts && parts.length > 1) put(t, [...pc, 'sku', 'tier'], parts[1], [...pq, 'sku_name']);
      }
    }
  }
}

/** azurerm_linux_virtual_machine_scale_set, azurerm_windows_virtual_machine_scale_set: a Uniform scale set. */
export function scaleSet(tr: Translation, inst: Instance, t: Translated): void {
  put(t, ['properties', 'orchestrationMode'], 'Uniform');
  scaleSetNics(tr, inst, t, false);
}

/**
 * azurerm_orchestrated_virtual_machine_scale_set: Flexible. Without network_interface blocks it has no VM profile
 * of its own, and its VMs are the VMs that join it (virtual_machine_scale_set_id).
 */
export function orchestratedScaleSet(tr: Translation, inst: Instance, t: Translated): void {
  put(t, ['properties', 'orchestrationMode'], 'Flexible');
  scaleSetNics(tr, inst, t, true);
}

export type { Reader };
