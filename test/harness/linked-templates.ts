// A VNet template with a NAT gateway, and a template whose VM's subnet comes from it through a linked deployment:
// the pair the links and per-folder configuration tests lint.
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

export const LINKED_VNET = JSON.stringify({
  $schema: SCHEMA,
  contentVersion: '1.0.0.0',
  resources: [
    { type: 'Microsoft.Network/publicIPAddresses', apiVersion: '2024-05-01', name: 'pip-nat', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIPAllocationMethod: 'Static' } },
    { type: 'Microsoft.Network/natGateways', apiVersion: '2024-05-01', name: 'nat1', location: 'westeurope', sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-nat')]" }] } },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: '2024-05-01',
      name: 'vnet1',
      location: 'westeurope',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24', natGateway: { id: "[resourceId('Microsoft.Network/natGateways', 'nat1')]" } } }] },
    },
  ],
});

/** A template whose VM's subnet comes from a deployment linked as `link`. */
export function linkingTemplate(link: Record<string, string>): string {
  return JSON.stringify({
    $schema: SCHEMA,
    contentVersion: '1.0.0.0',
    resources: [
      { type: 'Microsoft.Resources/deployments', apiVersion: '2022-09-01', name: 'net', properties: { mode: 'Incremental', templateLink: link } },
      {
        type: 'Microsoft.Network/networkInterfaces',
        apiVersion: '2024-05-01',
        name: 'nic1',
        location: 'westeurope',
        properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'default')]" } } }] },
      },
      { type: 'Microsoft.Compute/virtualMachines', apiVersion: '2024-07-01', name: 'vm1', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: "[resourceId('Microsoft.Network/networkInterfaces', 'nic1')]" }] } } },
    ],
  });
}
