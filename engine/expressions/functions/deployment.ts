// Deployment, scope and resource functions: parameters, variables, copyIndex, reference, list*, resourceId,
// resourceGroup, subscription, tenant, environment, newGuid, utcNow. They read the host and its scope.
import type { FnDef } from '../evaluator.js';
import type { Value, ValueObject } from '../value.js';
import { Unknown } from '../value.js';
import { fail, int, str } from './args.js';
import type { Scope } from '../scope.js';

const AZURE_CLOUD = {
  name: 'AzureCloud',
  gallery: 'https://gallery.azure.com/',
  graph: 'https://graph.windows.net/',
  portal: 'https://portal.azure.com',
  graphAudience: 'https://graph.windows.net/',
  activeDirectoryDataLake: 'https://datalake.azure.net/',
  batch: 'https://batch.core.windows.net/',
  media: 'https://rest.media.azure.net',
  sqlManagement: 'https://management.core.windows.net:8443/',
  vmImageAliasDoc: 'https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json',
  resourceManager: 'https://management.azure.com/',
  authentication: {
    loginEndpoint: 'https://login.microsoftonline.com/',
    audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
    tenant: 'common',
    identityProvider: 'AAD',
  },
  suffixes: {
    acrLoginServer: '.azurecr.io',
    azureDatalakeAnalyticsCatalogAndJob: 'azuredatalakeanalytics.net',
    azureDatalakeStoreFileSystem: 'azuredatalakestore.net',
    azureFrontDoorEndpointSuffix: 'azurefd.net',
    keyvaultDns: '.vault.azure.net',
    sqlServerHostname: '.database.windows.net',
    storage: 'core.windows.net',
  },
};

/** The resourceGroup() object for a scope. */
export function resourceGroupObject(scope: Scope): ValueObject {
  return {
    id: `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`,
    name: scope.resourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: scope.location,
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  };
}

/**
 * The '/'-separated segments of a string, appended to `out`. An indexOf loop rather than split('/'): split is a call
 * into the runtime, and every resource id of a template is built here (it was a tenth of expanding a small one).
 */
function segmentsOf(s: string, out: string[], skipEmpty: boolean): string[] {
  let from = 0;
  for (;;) {
    const slash = s.indexOf('/', from);
    const part = slash < 0 ? s.slice(from) : s.slice(from, slash);
    if (!skipEmpty || part !== '') out.push(part);
    if (slash < 0) return out;
    from = slash + 1;
  }
}

/** `/providers/{ns}/{t1}/{n1}/{t2}/{n2}` for a type and its names. */
export function providerPath(fname: string, type: string, names: readonly string[]): string {
  // ARM accepts a trailing slash ('Microsoft.Storage/storageAccounts/'); templates in the wild use it.
  const types = segmentsOf(type, [], true);
  const flat: string[] = [];
  for (const n of names) segmentsOf(n, flat, false);
  if (types.length < 2) fail(`The template function '${fname}' got an invalid resource type '${type}'.`);
  if (flat.length !== types.length - 1)
    fail(`The template function '${fname}' got ${flat.length} resource name segment(s) for type '${type}', which needs ${types.length - 1}.`);
  let out = `/providers/${types[0]}`;
  for (let i = 1; i < types.length; i++) out += `/${types[i]}/${flat[i - 1]}`;
  return out;
}

function strings(args: readonly Value[], fname: string): string[] {
  return args.map((a, i) => str(a, fname, i));
}

/** resourceId([subscriptionId], [resourceGroupName], resourceType, name1, [name2, ...]). */
function resourceId(args: readonly Value[], scope: Scope, fname: string): string {
  const s = strings(args, fname);
  const t = s.findIndex((x) => x.includes('/'));
  if (t < 0) fail(`The template function '${fname}' needs a resource type such as 'Microsoft.Network/virtualNetworks'.`);
  const tail = providerPath(fname, s[t], s.slice(t + 1));
  if (t > 2) fail(`The template function '${fname}' got too many arguments before the resource type.`);
  const sub = t === 2 ? s[0] : scope.subscriptionId;
  const rg = t === 2 ? s[1] : t === 1 ? s[0] : scope.resourceGroup;
  if (t === 0 && scope.level !== 'resourceGroup') {
    if (scope.level === 'subscription') return subscriptionLevelId(sub, s[t], s.slice(t + 1), tail);
    return tail;
  }
  return `/subscriptions/${sub}/resourceGroups/${rg}${tail}`;
}

/**
 * The id of a resource at subscription level. A resource group's is /subscriptions/{sub}/resourceGroups/{name}, with no
 * provider segment: Azure's engine builds it so for subscriptionResourceId('Microsoft.Resources/resourceGroups', name)
 * in any case, trailing slash or not (checked with `bicep snapshot`, bench/oracle.ts), as ARM names resource groups.
 */
function subscriptionLevelId(sub: string, type: string, names: readonly string[], tail: string): string {
  if (names.length === 1 && /^microsoft\.resources\/resourcegroups\/?$/i.test(type)) return `/subscriptions/${sub}/resourceGroups/${names[0]}`;
  return `/subscriptions/${sub}${tail}`;
}

const runtime = (what: string): Unknown => new Unknown('runtime', what);

export const deployment: Record<string, FnDef> = {
  parameters: { min: 1, max: 1, reads: true, fn: ([n], c, f) => c.host.parameter(str(n, f, 0)) },
  variables: { min: 1, max: 1, reads: true, fn: ([n], c, f) => c.host.variable(str(n, f, 0)) },
  copyindex: {
    min: 0,
    max: 2,
    fn: (args, c, f) => {
      let loop: string | undefined;
      let offset = 0;
      if (args.length === 2) {
        loop = str(args[0], f, 0);
        offset = int(args[1], f, 1);
      } else if (args.length === 1) {
        if (typeof args[0] === 'string') loop = args[0];
        else offset = int(args[0], f, 0);
      }
      const index = c.host.copyIndex(loop);
      return index instanceof Unknown ? index : index + offset;
    },
  },
  deployment: { min: 0, max: 0, fn: (_a, c) => c.host.deployment() },
  environment: { min: 0, max: 0, fn: () => AZURE_CLOUD as unknown as ValueObject },
  resourcegroup: { min: 0, max: 0, fn: (_a, c) => resourceGroupObject(c.host.scope) },
  subscription: {
    min: 0,
    max: 0,
    fn: (_a, c) => ({
      id: `/subscriptions/${c.host.scope.subscriptionId}`,
      subscriptionId: c.host.scope.subscriptionId,
      tenantId: c.host.scope.tenantId,
      displayName: 'subscription',
    }),
  },
  tenant: {
    min: 0,
    max: 0,
    fn: (_a, c) => ({ id: `/tenants/${c.host.scope.tenantId}`, tenantId: c.host.scope.tenantId, countryCode: 'US', displayName: 'tenant' }),
  },
  managementgroup: {
    min: 0,
    max: 1,
    fn: (_a, c) => ({
      id: `/providers/Microsoft.Management/managementGroups/${c.host.scope.managementGroup}`,
      name: c.host.scope.managementGroup,
      type: 'Microsoft.Management/managementGroups',
      properties: { tenantId: c.host.scope.tenantId, displayName: c.host.scope.managementGroup },
    }),
  },
  deployer: { min: 0, max: 0, fn: () => runtime('deployer() is the identity running the deployment') },
  reference: {
    placeholders: 'build',
    min: 1,
    max: 3,
    unknownAware: true,
    fn: (args, c, f) => {
      const full = args.length === 3 && typeof args[2] === 'string' && args[2].toLowerCase() === 'full';
      if (args[0] instanceof Unknown) return new Unknown(args[0].cause, args[0].origin);
      str(args[0], f, 0);
      // Azure's engine refuses an API version that is not a string (an integer passed by mistake).
      if (args.length >= 2 && !(args[1] instanceof Unknown)) str(args[1], f, 1);
      return c.host.reference(args[0], args[1], full);
    },
  },
  references: { min: 1, max: 2, fn: () => runtime('references() lists resources at deployment') },
  providers: { min: 1, max: 2, fn: () => runtime('providers() reads the resource provider registry') },
  pickzones: { min: 3, max: 5, fn: () => runtime('pickZones() depends on the region') },
  tologicalzone: { min: 3, max: 3, fn: () => runtime('toLogicalZone() depends on the subscription zone mapping') },
  tophysicalzone: { min: 3, max: 3, fn: () => runtime('toPhysicalZone() depends on the subscription zone mapping') },
  newguid: { min: 0, max: 0, fn: () => new Unknown('nondeterministic', 'newGuid() is new on every deployment') },
  utcnow: { min: 0, max: 1, fn: () => new Unknown('nondeterministic', 'utcNow() is the deployment time') },
  resourceid: { placeholders: 'build', min: 2, max: Infinity, fn: (a, c, f) => resourceId(a, c.host.scope, f) },
  subscriptionresourceid: {
    placeholders: 'build',
    min: 2,
    max: Infinity,
    fn: (a, c, f) => {
      const s = strings(a, f);
      const t = s.findIndex((x) => x.includes('/'));
      if (t < 0 || t > 1) fail(`The template function '${f}' needs a resource type such as 'Microsoft.Resources/resourceGroups'.`);
      const sub = t === 1 ? s[0] : c.host.scope.subscriptionId;
      return subscriptionLevelId(sub, s[t], s.slice(t + 1), providerPath(f, s[t], s.slice(t + 1)));
    },
  },
  tenantresourceid: {
    placeholders: 'build',
    min: 2,
    max: Infinity,
    fn: (a, _c, f) => {
      const s = strings(a, f);
      return providerPath(f, s[0], s.slice(1));
    },
  },
  managementgroupresourceid: {
    placeholders: 'build',
    min: 2,
    max: Infinity,
    fn: (a, c, f) => {
      const s = strings(a, f);
      const t = s.findIndex((x) => x.includes('/'));
      if (t < 0 || t > 1) fail(`The template function '${f}' needs a resource type.`);
      const mg = t === 1 ? s[0] : c.host.scope.managementGroup;
      return `/providers/Microsoft.Management/managementGroups/${mg}${providerPath(f, s[t], s.slice(t + 1))}`;
    },
  },
  extensionresourceid: {
    placeholders: 'build',
    min: 3,
    max: Infinity,
    fn: (a, _c, f) => {
      const s = strings(a, f);
      return `${s[0]}${providerPath(f, s[1], s.slice(2))}`;
    },
  },
};

/** list*() functions are answered only by the live resource: always a runtime Unknown. */
export function listFunction(name: string): FnDef | undefined {
  if (!/^list/i.test(name)) return undefined;
  return { min: 1, max: 3, unknownAware: true, fn: (_a, _c, f) => runtime(`${f}() reads secrets or keys at deployment`) };
}
