// Why a difference between Azure's engine and egress-lint's is there: each cause is a narrow test on a difference
// (its kind and values) and the explanation recorded in bench/RESULTS.md. A difference no cause explains is
// "unexplained": the differential check reports it, and in CI it fails the run. Snapshot failures get a cause too.
import type { Difference } from './compare.js';

/** What a cause may read of the template besides the difference: its secure parameters and egress-lint's problems. */
export interface CauseContext {
  readonly secure: readonly string[];
  readonly problems: readonly { readonly ruleId: string; readonly message: string }[];
}

/** Every cause, by id, with the explanation bench/RESULTS.md gives. */
export const CAUSES: Record<string, string> = {
  environment:
    "environment() is the cloud the deployment runs in. `bicep snapshot` has no option for it and leaves it for deployment; egress-lint evaluates it as the public cloud (AzureCloud), as it assumes the other deployment-context values (subscription, resource group, location). It names private DNS zones and URLs; nothing the network graph decides with.",
  'secure-parameter':
    'A secure parameter (securestring, secureObject) stays out of the snapshot: Azure\'s engine keeps it as [parameters(...)] and everything computed from it (a VPN shared key, a condition on a key being set) for deployment time. egress-lint uses the value the parameter file gives.',
  'reference-declared':
    "reference() of a resource deployed by the same template: Azure's engine leaves it for deployment time, egress-lint reads the value the template declares for that resource (the contract: a property the files set is known; only what Azure assigns is unknown). Seen for a container registry's SKU in a condition and a subnet id read through a load balancer.",
  'non-boolean-condition':
    "The generated value for a member the template reads as a condition is a string. The snapshot deploys the resource anyway; a deployment refuses a condition that is not a Boolean (https://github.com/Azure/azure-quickstart-templates/issues/5850, the maintainers' answer), and so does egress-lint (template-invalid), which leaves the resource out.",
};

/** Causes of snapshot failures, by id, with their explanation. */
export const FAILURE_CAUSES: Record<string, string> = {
  'both-reject':
    "Azure's engine refuses the template with these inputs, and egress-lint reports it invalid too (expression-invalid or template-invalid). Most are nested templates whose object parameters their parent fills: the generated values lack a member the template reads, or a quickstart parameter file's placeholder (GEN-..., GET-PREREQ-...) is not the kind of value the template needs.",
  'bicepparam-identifier':
    'A parameter name that is not a Bicep identifier (dns-prefix) cannot be assigned in a .bicepparam, so the snapshot cannot be given the template\'s inputs; the template was not compared.',
  'template-link':
    "The template reads deployment().properties.templateLink, which a deployment from a local file (and the snapshot) does not have; egress-lint answers it with the template's own location (the contract: linked templates).",
  'subscription-id':
    "The quickstart parameter file's placeholder GET-PREREQ-virtualNetworkSubscriptionId is not a GUID, which Azure's engine requires of a subscription id in resourceId(); egress-lint builds the id without checking the subscription id's form (it only compares ids).",
};

/** The cause of a difference, or undefined when none explains it. */
export function causeOf(d: Difference, c: CauseContext): string | undefined {
  const azure = d.azure ?? '';
  if (d.kind === 'egress-lint concrete where Azure leaves it for deployment') {
    if (/environment\(\)/i.test(azure)) return 'environment';
    for (const p of c.secure) if (azure.toLowerCase().includes(`parameters('${p.toLowerCase()}')`)) return 'secure-parameter';
    if (/\breference\(/i.test(azure)) return 'reference-declared';
  }
  if (d.kind === 'resource only in Azure' && c.problems.some((p) => p.ruleId === 'template-invalid' && /condition must be a Boolean/.test(p.message))) return 'non-boolean-condition';
  return undefined;
}

/** The cause of a failed snapshot, given egress-lint's problems with the same inputs. */
export function failureCauseOf(reason: string, c: CauseContext): string | undefined {
  if (c.problems.some((p) => p.ruleId === 'expression-invalid' || p.ruleId === 'template-invalid')) return 'both-reject';
  if (/BCP258/.test(reason) && /"[^"]*-[^"]*"/.test(reason)) return 'bicepparam-identifier';
  if (/property 'templateLink' doesn't exist/.test(reason)) return 'template-link';
  if (/is not valid subscription identifier/.test(reason) && /GET-PREREQ-/.test(reason)) return 'subscription-id';
  return undefined;
}
