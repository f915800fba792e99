// Reader of load balancers: frontends, backend pools (inline or child resources), load-balancing rules and
// outbound rules. Imports template/, expressions/ and resources/ only, besides engine/network/.
import type { Location } from '../template/finding.js';
import type { SourceResource } from '../resources/types.js';
import type { Value } from '../expressions/value.js';
import { Unknown } from '../expressions/value.js';
import type { Frontend, LoadBalancer, NetworkGraph, Pool, Ref } from './graph.js';
import { keyOf } from './ids.js';
import { boolOrUnknown, locationIn, nodeBase, refAt, refListAt, skuOr, str, strOrUnknown } from './read-values.js';
import { arrayAt, entries, placeOf, typed } from './read-typed.js';

/**
 * The entries of a load balancer's list as `arrayAt` read it; an unknown list (wrong type, known only at deployment)
 * is kept on `unknown`. (Each list is read by a literal `arrayAt` call: the fuzz harness finds the names it reads there.)
 */
function lbList(r: SourceResource, list: string, read: readonly Value[] | Unknown, unknown: { list: string; value: Unknown; at: Location }[]): readonly Value[] {
  if (read instanceof Unknown) unknown.push({ list, value: read, at: placeOf(r.body, r.at, 'properties', list) });
  return entries(read);
}

export function readLb(g: NetworkGraph, r: SourceResource): LoadBalancer {
  const key = keyOf(r);
  const b = r.body;
  const unknownLists: { list: string; value: Unknown; at: Location }[] = [];
  const lb: LoadBalancer = {
    kind: 'loadBalancer',
    sku: skuOr(typed(g, 'string', b, r.at, 'sku', 'name'), 'Basic'),
    frontends: [],
    pools: [],
    lbRules: [],
    outboundRules: [],
    unknownLists,
    ...nodeBase(r),
  };
  const frontendList = lbList(r, 'frontendIPConfigurations', arrayAt(g, b, r.at, 'properties', 'frontendIPConfigurations'), unknownLists);
  for (let i = 0; i < frontendList.length; i++) {
    const f = frontendList[i];
    const at = locationIn(r, 'properties', 'frontendIPConfigurations', i);
    const name = str(typed(g, 'string', f, at, 'name'), '');
    const fe: Frontend = {
      key: `${key}/frontendipconfigurations/${name.toLowerCase()}`,
      name,
      lbKey: key,
      publicIp: refAt(g, f, at, 'properties', 'publicIPAddress'),
      publicIpPrefix: refAt(g, f, at, 'properties', 'publicIPPrefix'),
      subnet: refAt(g, f, at, 'properties', 'subnet'),
      privateIp: strOrUnknown(typed(g, 'string', f, at, 'properties', 'privateIPAddress')),
      at,
    };
    // Not read for a frontend, but its type is a string ('IPv4' or 'IPv6': learn.microsoft.com/azure/templates/
    // microsoft.network/loadbalancers) and Azure refuses another: a finding, as for a NIC's IP configuration.
    typed(g, 'string', f, at, 'properties', 'privateIPAddressVersion');
    lb.frontends.push(fe);
    g.frontends.set(fe.key, fe);
  }
  const poolList = lbList(r, 'backendAddressPools', arrayAt(g, b, r.at, 'properties', 'backendAddressPools'), unknownLists);
  for (let i = 0; i < poolList.length; i++) addPool(g, lb, poolList[i], locationIn(r, 'properties', 'backendAddressPools', i));
  const ruleList = lbList(r, 'loadBalancingRules', arrayAt(g, b, r.at, 'properties', 'loadBalancingRules'), unknownLists);
  for (let i = 0; i < ruleList.length; i++) {
    const x = ruleList[i];
    const at = locationIn(r, 'properties', 'loadBalancingRules', i);
    const many = refListAt(g, x, at, 'properties', 'backendAddressPools');
    const pools = [refAt(g, x, at, 'properties', 'backendAddressPool'), ...many.refs].filter((y): y is Ref => y !== undefined);
    const dis = boolOrUnknown(typed(g, 'boolean', x, at, 'properties', 'disableOutboundSnat'));
    lb.lbRules.push({
      name: str(typed(g, 'string', x, at, 'name'), ''),
      frontend: refAt(g, x, at, 'properties', 'frontendIPConfiguration'),
      // A pool list of the wrong type: which pools the rule gives outbound SNAT to is not known.
      pools: many.unknown ? [...pools, { kind: 'unknown', value: many.unknown }] : pools,
      disableOutboundSnat: dis ?? false,
      at,
    });
  }
  const outboundList = lbList(r, 'outboundRules', arrayAt(g, b, r.at, 'properties', 'outboundRules'), unknownLists);
  for (let i = 0; i < outboundList.length; i++) {
    const x = outboundList[i];
    const at = locationIn(r, 'properties', 'outboundRules', i);
    const frontends = refListAt(g, x, at, 'properties', 'frontendIPConfigurations');
    lb.outboundRules.push({
      name: str(typed(g, 'string', x, at, 'name'), ''),
      // A frontend list of the wrong type: the rule's public IPs are not known.
      frontends: frontends.unknown ? [...frontends.refs, { kind: 'unknown', value: frontends.unknown }] : frontends.refs,
      pool: refAt(g, x, at, 'properties', 'backendAddressPool'),
      at,
    });
  }
  return lb;
}

/** Adds backend pool `b` to `lb`; a pool declared again (inline and as a child resource) merges its addresses. */
export function addPool(g: NetworkGraph, lb: LoadBalancer, b: Value, loc: Location): void {
  const name = str(typed(g, 'string', b, loc, 'name'), '');
  const key = `${lb.key}/backendaddresspools/${name.toLowerCase()}`;
  const addresses: (string | Unknown)[] = [];
  const written = arrayAt(g, b, loc, 'properties', 'loadBalancerBackendAddresses');
  if (written instanceof Unknown) addresses.push(written);
  const list = entries(written);
  for (let i = 0; i < list.length; i++) {
    const ip = strOrUnknown(typed(g, 'string', list[i], { file: loc.file, pointer: `${loc.pointer}/properties/loadBalancerBackendAddresses/${i}` }, 'properties', 'ipAddress'));
    if (ip !== undefined) addresses.push(ip);
  }
  const existing = g.pools.get(key);
  const pool: Pool = { key, name, lbKey: lb.key, addresses: [...(existing?.addresses ?? []), ...addresses], at: existing?.at ?? loc };
  g.pools.set(key, pool);
  const i = lb.pools.findIndex((x) => x.key === key);
  if (i >= 0) lb.pools[i] = pool;
  else lb.pools.push(pool);
}
