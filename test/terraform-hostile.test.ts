// The Terraform front-end's hostile inputs (test/harness/hostile/terraform.ts) through the CLI, and the rewording
// they stress as a unit. No timing here: `npm run bench:hostile` holds each input to its bound.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Wording } from '../engine/terraform/wording.js';
import { terraformInputs } from './harness/hostile/terraform.js';
import { runHostile, unmet } from './harness/hostile/run.js';

const reword = suite('Terraform wording of long texts');

/** A subnet finding quoting a NAT gateway whose name repeats a property form `n` times, and its rewording. */
function text(n: number): string {
  return `subnet 'default' sets defaultOutboundAccess: false and its NAT gateway 'nat${' defaultOutboundAccess: false'.repeat(n)}' sets defaultOutboundAccess: false; it's 'a' defaultOutboundAccess: false`;
}
function reworded(n: number): string {
  return `subnet 'default' sets default_outbound_access_enabled = false and its NAT gateway 'nat${' defaultOutboundAccess: false'.repeat(n)}' sets default_outbound_access_enabled = false; it's 'a' default_outbound_access_enabled = false`;
}

function wording(): Wording {
  const w = new Wording();
  w.add('/r/0', 'azurerm_subnet', 'Microsoft.Network/virtualNetworks/subnets');
  w.add('/r/1', 'azurerm_nat_gateway', 'Microsoft.Network/natGateways');
  return w;
}

reword('a small case reads as the rewording that looked back over the text for each form read it', () => {
  // What the earlier rewording (a quote looked for from the start of the text at each form) gave for these.
  assert.is(wording().reword('/r/0', text(0)), "subnet 'default' sets default_outbound_access_enabled = false and its NAT gateway 'nat' sets default_outbound_access_enabled = false; it's 'a' default_outbound_access_enabled = false");
  assert.is(wording().reword('/r/0', text(3)), "subnet 'default' sets default_outbound_access_enabled = false and its NAT gateway 'nat defaultOutboundAccess: false defaultOutboundAccess: false defaultOutboundAccess: false' sets default_outbound_access_enabled = false; it's 'a' default_outbound_access_enabled = false");
  assert.is(wording().reword('/r/0', text(3)), reworded(3));
});

reword('a name quoting a property form 40,000 times keeps its words; the forms outside it are reworded', () => {
  assert.is(wording().reword('/r/0', text(40_000)), reworded(40_000));
});

reword('a quote opened and never closed keeps the rest of the text as written', () => {
  assert.is(wording().reword('/r/0', "defaultOutboundAccess: false in 'nat defaultOutboundAccess: false"), "default_outbound_access_enabled = false in 'nat defaultOutboundAccess: false");
});
reword.run();

const hostile = suite('Terraform hostile inputs');
for (const input of terraformInputs) {
  hostile(input.name, async () => {
    const why = unmet(input, await runHostile(input));
    assert.is(why, undefined, why);
  });
}
hostile.run();
