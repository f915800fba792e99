// Reader of load balancers: frontends, backend pools (inline or child resources), load-balancing rules and
// outbound rules. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import type { Unknown } from '../expressions/value.js';
import type { Frontend, LoadBalancer, NetworkGraph, Pool, Ref } from './graph.js';
import { keyOf } from './ids.js';
import { boolOrUnknown, list, locationIn, nodeBase, prop, refList, skuOr, str, strOrUnknown } from './read-values.js';

export function readLb(g: NetworkGraph, r: SourceResource): LoadBalancer {
  const key = keyOf(r);
  const p = prop(r.body, 'properties');
  const lb: LoadBalancer = {
    kind: 'loadBalancer',
    sku: skuOr(prop(r.body, 'sku', 'name'), 'Basic'),
    frontends: [],
    pools: [],
    lbRules: [],
    outboundRules: [],
    ...nodeBase(r),
  };
  const frontendList = list(prop(p, 'frontendIPConfigurations'));
  for (let i = 0; i < frontendList.length; i++) {
    const f = frontendList[i];
    const fp = prop(f, 'properties');
    const name = str(prop(f, 'name'), '');
    const fe: Frontend = {
      key: `${key}/frontendipconfigurations/${name.toLowerCase()}`,
      name,
      lbKey: key,
      publicIp: g.ref(prop(fp, 'publicIPAddress')),
      publicIpPrefix: g.ref(prop(fp, 'publicIPPrefix')),
      subnet: g.ref(prop(fp, 'subnet')),
      privateIp: strOrUnknown(prop(fp, 'privateIPAddress')),
      at: locationIn(r, 'properties', 'frontendIPConfigurations', i),
    };
    lb.frontends.push(fe);
    g.frontends.set(fe.key, fe);
  }
  const poolList = list(prop(p, 'backendAddressPools'));
  for (let i = 0; i < poolList.length; i++) addPool(g, lb, poolList[i], locationIn(r, 'properties', 'backendAddressPools', i));
  const ruleList = list(prop(p, 'loadBalancingRules'));
  for (let i = 0; i < ruleList.length; i++) {
    const x = ruleList[i];
    const xp = prop(x, 'properties');
    const pools = [g.ref(prop(xp, 'backendAddressPool')), ...refList(g, prop(xp, 'backendAddressPools')).refs].filter((y): y is Ref => y !== undefined);
    const dis = boolOrUnknown(prop(xp, 'disableOutboundSnat'));
    lb.lbRules.push({
      name: str(prop(x, 'name'), ''),
      frontend: g.ref(prop(xp, 'frontendIPConfiguration')),
      pools,
      disableOutboundSnat: dis ?? false,
      at: locationIn(r, 'properties', 'loadBalancingRules', i),
    });
  }
  const outboundList = list(prop(p, 'outboundRules'));
  for (let i = 0; i < outboundList.length; i++) {
    const x = outboundList[i];
    const xp = prop(x, 'properties');
    lb.outboundRules.push({
      name: str(prop(x, 'name'), ''),
      frontends: refList(g, prop(xp, 'frontendIPConfigurations')).refs,
      pool: g.ref(prop(xp, 'backendAddressPool')),
      at: locationIn(r, 'properties', 'outboundRules', i),
    });
  }
  return lb;
}

/** Adds backend pool `b` to `lb`; a pool declared again (inline and as a child resource) merges its addresses. */
export function addPool(g: NetworkGraph, lb: LoadBalancer, b: Value, loc: Location): void {
  const name = str(prop(b, 'name'), '');
  const key = `${lb.key}/backendaddresspools/${name.toLowerCase()}`;
  const addresses: (string | Unknown)[] = [];
  for (const a of list(prop(b, 'properties', 'loadBalancerBackendAddresses'))) {
    const ip = strOrUnknown(prop(a, 'properties', 'ipAddress'));
    if (ip !== undefined) addresses.push(ip);
  }
  const existing = g.pools.get(key);
  const pool: Pool = { key, name, lbKey: lb.key, addresses: [...(existing?.addresses ?? []), ...addresses], at: existing?.at ?? loc };
  g.pools.set(key, pool);
  const i = lb.pools.findIndex((x) => x.key === key);
  if (i >= 0) lb.pools[i] = pool;
  else lb.pools.push(pool);
}
