// The deployment context that context functions read: subscription, resource group, location, tenant,
// deployment name. Defaults are stable placeholders so hashes such as uniqueString(resourceGroup().id) repeat.

export interface Scope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly tenantId: string;
  readonly deploymentName: string;
  readonly managementGroup: string;
  /** The scope the template deploys at ($schema decides): resourceGroup, subscription, managementGroup, tenant. */
  readonly level: 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant';
}

export const DEFAULT_SCOPE: Scope = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'resource-group',
  location: 'westeurope',
  tenantId: '00000000-0000-0000-0000-000000000000',
  deploymentName: 'deployment',
  managementGroup: 'management-group',
  level: 'resourceGroup',
};

/** The deployment level a template's $schema declares. */
export function levelFromSchema(schema: unknown): Scope['level'] {
  const s = typeof schema === 'string' ? schema.toLowerCase() : '';
  if (s.includes('subscriptiondeploymenttemplate')) return 'subscription';
  if (s.includes('managementgroupdeploymenttemplate')) return 'managementGroup';
  if (s.includes('tenantdeploymenttemplate')) return 'tenant';
  return 'resourceGroup';
}
