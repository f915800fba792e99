// Hostile inputs of the Terraform front-end (engine/terraform/): plans whose text is cheap to write and was costly to
// read. Generated from a committed fixture (never a committed huge file); test/terraform-hostile.test.ts runs them,
// and `npm run bench:hostile`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../fuzz.js';
import type { HostileInput } from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The words repeated in the NAT gateway's name: a property name, which the rewording reads as a form each time. */
export const NAME_WORD = ' natGateway';
export const NAME_REPEATS = 40_000;

/** fixtures/terraform/nat-gateway-overrides-public-ip with its NAT gateway (azurerm_nat_gateway.nat) named `name`. */
export function namedNatGatewayPlan(name: string): string {
  const plan = JSON.parse(readFileSync(join(REPO, 'fixtures/terraform/nat-gateway-overrides-public-ip/plan.json'), 'utf8')) as Record<string, Json>;
  let renamed = 0;
  const rename = (entry: Json | undefined, values: 'values' | 'after' | 'expressions'): void => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry) || entry.address !== 'azurerm_nat_gateway.nat') return;
    const holder = values === 'after' ? (entry.change as Record<string, Json>).after : entry[values];
    const o = holder as Record<string, Json>;
    o.name = values === 'expressions' ? { constant_value: name } : name;
    renamed++;
  };
  const list = (...path: string[]): Json[] => {
    let cur: Json | undefined = plan;
    for (const k of path) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? cur[k] : undefined;
    if (!Array.isArray(cur)) throw new Error(`terraform hostile: the fixture has no ${path.join('.')}`);
    return cur;
  };
  for (const r of list('planned_values', 'root_module', 'resources')) rename(r, 'values');
  for (const r of list('resource_changes')) rename(r, 'after');
  for (const r of list('configuration', 'root_module', 'resources')) rename(r, 'expressions');
  if (renamed !== 3) throw new Error(`terraform hostile: renamed the NAT gateway in ${renamed} places, not 3 (the fixture changed)`);
  return JSON.stringify(plan, null, 1);
}

export const terraformInputs: readonly HostileInput[] = [
  {
    // Each form in a text looked back over the whole text for an open quote: 43 s for this plan.
    name: `Terraform plan: a NAT gateway named 'nat' + '${NAME_WORD}' x ${NAME_REPEATS} (rewording the texts that quote it)`,
    files: () => ({ 'plan.json': namedNatGatewayPlan(`nat${NAME_WORD.repeat(NAME_REPEATS)}`) }),
    args: ['plan.json', '--format', 'json'],
    // The name is quoted: it keeps its words, and vm1 still leaves through the NAT gateway's public IP.
    expect: { exit: [0, 1], output: new RegExp(`"verdict": "deterministic"[\\s\\S]*NAT gateway 'nat(${NAME_WORD}){${NAME_REPEATS}}'`) },
  },
];
