// The rule registry: an explicit list, sorted by id (test/rules-meta.test.ts checks the order and the files).
import type { Rule } from '../engine/index.js';
import ambiguousPrimaryNic from './ambiguous-primary-nic.js';
import defaultOutboundAccess from './default-outbound-access.js';
import dynamicPublicIp from './dynamic-public-ip.js';
import egressChanged from './egress-changed.js';
import egressNotAllowed from './egress-not-allowed.js';
import expressionInvalid from './expression-invalid.js';
import implicitLbSnat from './implicit-lb-snat.js';
import invalidOutboundConfiguration from './invalid-outbound-configuration.js';
import limitExceeded from './limit-exceeded.js';
import multipleEgressIps from './multiple-egress-ips.js';
import natGatewayOverridesPublicIp from './nat-gateway-overrides-public-ip.js';
import noInternetEgress from './no-internet-egress.js';
import retiredSku from './retired-sku.js';
import routeOverridesPublicIp from './route-overrides-public-ip.js';
import secondaryNicEgressDiffers from './secondary-nic-egress-differs.js';
import templateInvalid from './template-invalid.js';
import unboundedEgress from './unbounded-egress.js';
import unresolvedEgress from './unresolved-egress.js';

/** Every rule, sorted by id. */
export const rules: readonly Rule[] = [
  ambiguousPrimaryNic,
  defaultOutboundAccess,
  dynamicPublicIp,
  egressChanged,
  egressNotAllowed,
  expressionInvalid,
  implicitLbSnat,
  invalidOutboundConfiguration,
  limitExceeded,
  multipleEgressIps,
  natGatewayOverridesPublicIp,
  noInternetEgress,
  retiredSku,
  routeOverridesPublicIp,
  secondaryNicEgressDiffers,
  templateInvalid,
  unboundedEgress,
  unresolvedEgress,
];

/** Where each rule's page lives; one constant so SARIF `helpUri`s, Markdown links and the ESLint plugin's `docs.url` agree. */
export const RULE_DOC_BASE = 'https://github.com/egress-lint/egress-lint/blob/main/rules/';

/** The page of a rule: rules/<id>.md in the repository. */
export function ruleDocUrl(id: string): string {
  return `${RULE_DOC_BASE}${id}.md`;
}

/** Rules by id. */
export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));
