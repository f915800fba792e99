// The egress lock file, the lock comparison, the allow-list policy and the firewall-ready allowlist format: the pure
// functions of engine/egress/ on their own, then `egress-lint lock`, --lock, config `lock` and `allow` through the CLI.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { allowedBy, describeChange, diffLocks, egressIdentity, identityLabel, keepKnownAddresses, lockOf, parseAllowList, parseLock, serialiseLock } from '../engine/index.js';
import type { LockFile, LockSource, Verdict } from '../engine/index.js';
import { FORMATTERS } from '../api/formatters/index.js';
import { rules } from '../rules/index.js';
import { runCli, scratchDir } from './harness/io.js';

const root = new URL('..', import.meta.url).pathname;
const fixture = (name: string): string => readFileSync(join(root, 'fixtures/lock', name), 'utf8');
const WEB_1 = fixture('web-1.json');
const WEB_2 = fixture('web-2.json');
const WEB_3 = fixture('web-3.json');

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers';
const pip = (name: string, address: string | null = null, prefix: string | null = null) => ({ id: `${SUB}/Microsoft.Network/publicIPAddresses/${name}`, address, prefix });
const vm = (name: string, verdict: Verdict, egress: LockSource['egress']): LockSource => ({ id: `${SUB}/Microsoft.Compute/virtualMachines/${name}`, name, type: 'Microsoft.Compute/virtualMachines', verdict, egress });
const key = (name: string): string => `${SUB}/Microsoft.Compute/virtualMachines/${name}`.toLowerCase();

// ---- lockOf, serialiseLock, parseLock ------------------------------------------------------------------------------
const lock = suite('lock file');

lock('lockOf: keys are lower-case ids, sorted; egress identities sorted and deduplicated; addresses kept', () => {
  const l = lockOf([{ file: 'infra/b.json', vms: [vm('vm-b', 'deterministic-set', [pip('pip-z'), pip('pip-a', '20.1.2.3'), pip('pip-z')])] }, { file: 'infra/a.json', vms: [vm('VM-A', 'deterministic', [pip('pip-1')])] }]);
  assert.equal(Object.keys(l.vms), [key('vm-a'), key('vm-b')]);
  assert.equal(l.vms[key('vm-b')], { name: 'vm-b', type: 'Microsoft.Compute/virtualMachines', file: 'infra/b.json', verdict: 'deterministic-set', egress: [`${SUB}/Microsoft.Network/publicIPAddresses/pip-a (20.1.2.3)`, `${SUB}/Microsoft.Network/publicIPAddresses/pip-z`] });
  assert.is(l.vms[key('vm-a')].name, 'VM-A');
});

lock('serialiseLock: byte-stable whatever the input order, 2-space indent, trailing newline, no time or absolute path', () => {
  const a = vm('vm-a', 'deterministic', [pip('pip-1')]);
  const b = vm('vm-b', 'non-deterministic', [pip('pip-3'), pip('pip-2')]);
  const one = serialiseLock(lockOf([{ file: 'x.json', vms: [a, b] }]));
  const two = serialiseLock(lockOf([{ file: 'x.json', vms: [b, a] }]));
  assert.is(one, two);
  assert.ok(one.endsWith('}\n') && !one.endsWith('\n\n'));
  assert.match(one, /^\{\n {2}"version": 1,\n {2}"vms": \{\n {4}"/);
  assert.not.match(one, /\d{4}-\d\d-\d\dT|\/tmp\/|\/home\//);
  const parsed = parseLock(one);
  assert.ok('lock' in parsed);
  if ('lock' in parsed) assert.is(serialiseLock(parsed.lock), one, 'read back and written again: the same bytes');
});

lock('lockOf: a VM id that two templates deploy keeps one entry per template (<id>#<file>)', () => {
  const l = lockOf([
    { file: 'dev/main.json', vms: [vm('vm-web', 'deterministic', [pip('pip-dev')])] },
    { file: 'prod/main.json', vms: [vm('vm-web', 'deterministic', [pip('pip-prod')])] },
  ]);
  assert.equal(Object.keys(l.vms), [`${key('vm-web')}#dev/main.json`, `${key('vm-web')}#prod/main.json`]);
});

lock('egressIdentity and identityLabel: the id, with the address or prefix when known; the label is the name', () => {
  assert.is(egressIdentity(pip('pip-a')), `${SUB}/Microsoft.Network/publicIPAddresses/pip-a`);
  assert.is(egressIdentity(pip('pip-a', null, '20.1.0.0/30')), `${SUB}/Microsoft.Network/publicIPAddresses/pip-a (20.1.0.0/30)`);
  assert.is(identityLabel(egressIdentity(pip('pip-a', '2001:db8::1'))), 'pip-a (2001:db8::1)');
  // A resource group name may hold parentheses; only a trailing address is split off.
  assert.is(identityLabel('/subscriptions/s/resourceGroups/rg(x)/providers/Microsoft.Network/publicIPAddresses/pip-b'), 'pip-b');
  // A public IP AKS creates has no id before deployment: its name is the identity, and the label.
  const created = { id: null, name: 'aks1-managed-outbound-1', address: null, prefix: null };
  assert.is(egressIdentity(created), 'aks1-managed-outbound-1');
  assert.is(identityLabel(egressIdentity(created)), 'aks1-managed-outbound-1');
  // The allow-list matches it by name, never by an id glob.
  assert.ok(allowedBy(parseAllowList(['aks1-managed-*']).list, created));
  assert.is(allowedBy(parseAllowList(['/subscriptions/**']).list, created), undefined);
});

lock('parseLock: every problem names its line and place', () => {
  const bad = (text: string): string[] => {
    const r = parseLock(text);
    return 'errors' in r ? r.errors : [];
  };
  assert.match(bad('{ "version": 1, "vms": {')[0], /^line 1: the file is not valid JSON/);
  assert.match(bad('[]')[0], /must be a JSON object/);
  assert.match(bad('{ "version": 2, "vms": {} }')[0], /^line 1: "version" is 2; this egress-lint reads version 1/);
  assert.match(bad('{ "version": 1 }')[0], /has no "vms"/);
  const entry = '{\n  "version": 1,\n  "vms": {\n    "k": { "name": "vm", "type": "t", "file": "f.json", "verdict": "maybe", "egress": [1], "extra": true }\n  }\n}';
  assert.equal(bad(entry), [
    'line 4: vms["k"].verdict must be one of deterministic, deterministic-set, non-deterministic, no-egress, unknown',
    'line 4: vms["k"].egress must be an array of strings',
    'line 4: vms["k"] has an unknown property "extra"',
  ]);
  assert.match(bad('{ "version": 1, "vms": { "k": { "type": "t", "file": "f", "verdict": "unknown", "egress": [] } } }')[0], /vms\["k"\]\.name must be a non-empty string/);
});

lock.run();

// ---- diffLocks ---------------------------------------------------------------------------------------------------
const diff = suite('diffLocks');

const L = (...vms: [string, Verdict, string[], string?][]): LockFile => ({
  version: 1,
  vms: Object.fromEntries(vms.map(([name, verdict, egress, file]) => [key(name), { name, type: 'Microsoft.Compute/virtualMachines', file: file ?? 'main.json', verdict, egress: egress.map((e) => `${SUB}/Microsoft.Network/publicIPAddresses/${e}`) }])),
});

diff('added and removed identities, verdict changes, appeared and disappeared VMs, in key order', () => {
  const before = L(['vm-web', 'deterministic', ['pip-vm1']], ['vm-old', 'deterministic', ['pip-old']], ['vm-same', 'deterministic', ['pip-s']]);
  const after = L(['vm-web', 'non-deterministic', ['pip-nat']], ['vm-new', 'deterministic-set', ['pip-n1', 'pip-n2']], ['vm-same', 'deterministic', ['pip-s']]);
  const changes = diffLocks(before, after);
  assert.equal(changes.map((c) => [c.name, c.kind]), [['vm-new', 'appeared'], ['vm-old', 'disappeared'], ['vm-web', 'changed']]);
  assert.equal(changes.map(describeChange), ['new: egress pip-n1, pip-n2; verdict deterministic-set', 'gone: egress was pip-old; verdict was deterministic', '+ pip-nat, - pip-vm1; verdict deterministic → non-deterministic']);
});

diff('no change: the same lock, ids in another case, a VM moved to another template', () => {
  const before = L(['vm-web', 'deterministic', ['pip-vm1'], 'a.json']);
  assert.equal(diffLocks(before, before), []);
  assert.equal(diffLocks(before, L(['vm-web', 'deterministic', ['PIP-VM1'], 'b.json'])), []);
});

diff('only the verdict, or only an address, changed', () => {
  assert.equal(diffLocks(L(['v', 'deterministic', ['p']]), L(['v', 'unknown', ['p']])).map(describeChange), ['verdict deterministic → unknown']);
  assert.equal(diffLocks(L(['v', 'deterministic', ['p (20.0.0.1)']]), L(['v', 'deterministic', ['p (20.0.0.2)']])).map(describeChange), ['p 20.0.0.1 → 20.0.0.2']);
});

const E = (x: string): string => `${SUB}/Microsoft.Network/publicIPAddresses/${x}`;

diff('addresses compare only where both locks know them: one becoming known, or not known this time, is no change', () => {
  const known = L(['v', 'deterministic', ['p (20.0.0.1)', 'q']]);
  const unknown = L(['v', 'deterministic', ['p', 'q']]);
  assert.equal(diffLocks(unknown, known), [], 'known now, unknown before: recorded, not a change');
  assert.equal(diffLocks(known, unknown), [], 'known before, unknown now (no inventory this time): not a change');
  assert.equal(diffLocks(L(['v', 'deterministic', ['P (20.0.0.1)']]), L(['v', 'deterministic', ['p (20.0.0.1)']])), [], 'ids compare case-insensitively');
  // A public IP drawn from a prefix: first only the prefix was known, now its own address, inside it.
  assert.equal(diffLocks(L(['v', 'deterministic', ['p (20.0.0.0/28)']]), L(['v', 'deterministic', ['p (20.0.0.5)']])), []);
  const out = diffLocks(L(['v', 'deterministic', ['p (20.0.0.0/28)']]), L(['v', 'deterministic', ['p (20.0.1.5)']]));
  assert.equal(out.map(describeChange), ['p 20.0.0.0/28 → 20.0.1.5'], 'an address outside the prefix the lock knew is a change');
  // Another resource is a change whatever the addresses.
  assert.equal(diffLocks(unknown, L(['v', 'deterministic', ['p2 (20.0.0.1)', 'q']])).map(describeChange), ['+ p2 (20.0.0.1), - p']);
});

diff('egress-lint lock keeps the addresses the previous lock knew and this run does not, and says which it records for the first time', () => {
  const before = L(['v', 'deterministic', ['p (20.0.0.1)', 'q']]);
  const carried = keepKnownAddresses(before, L(['v', 'deterministic', ['p', 'q (20.0.0.9)']]));
  assert.equal(carried.lock.vms[key('v')].egress, [E('p (20.0.0.1)'), E('q (20.0.0.9)')]);
  assert.equal(carried.kept, ['v: p (20.0.0.1)']);
  assert.equal(carried.recorded, ['v: q (20.0.0.9)']);
  assert.equal(diffLocks(before, carried.lock), []);
  // A known address that differs is the run's, and a change.
  const moved = keepKnownAddresses(before, L(['v', 'deterministic', ['p (20.0.0.2)', 'q']]));
  assert.equal(moved.lock.vms[key('v')].egress, [E('p (20.0.0.2)'), E('q')]);
  assert.equal(diffLocks(before, moved.lock).map(describeChange), ['p 20.0.0.1 → 20.0.0.2']);
  assert.equal(keepKnownAddresses(undefined, before).lock, before);
});

diff.run();

// ---- the allow-list ----------------------------------------------------------------------------------------------
const allow = suite('allow-list');

const entry = (name: string, extra: { address?: string; prefix?: string; id?: string } = {}) => ({ name, id: extra.id ?? `${SUB}/Microsoft.Network/publicIPAddresses/${name}`, address: extra.address ?? null, prefix: extra.prefix ?? null });
const allows = (list: string[], e: ReturnType<typeof entry>): string | undefined => {
  const parsed = parseAllowList(list);
  assert.equal(parsed.errors, []);
  return allowedBy(parsed.list, e)?.text;
};

allow('names: exact, case-insensitive, * for any characters', () => {
  assert.is(allows(['PIP-NAT'], entry('pip-nat')), 'PIP-NAT');
  assert.is(allows(['pip-egress-*'], entry('pip-egress-07')), 'pip-egress-*');
  assert.is(allows(['pip-nat'], entry('pip-nat-2')), undefined);
  assert.is(allows(['pip.nat'], entry('pipxnat')), undefined, 'a dot is a dot');
});

allow('resource-id globs: * within one segment, ** across segments', () => {
  const e = entry('pip-nat');
  assert.ok(allows(['/subscriptions/*/resourceGroups/RG/providers/Microsoft.Network/publicIPAddresses/*'], e));
  assert.ok(allows(['/subscriptions/**/pip-nat'], e));
  assert.is(allows(['/subscriptions/*/pip-nat'], e), undefined, '* never spans a /');
  assert.is(allows(['/subscriptions/*/resourceGroups/other/**'], e), undefined);
});

allow('CIDR blocks: a known address inside, a prefix wholly inside; nothing without an address', () => {
  assert.ok(allows(['20.30.40.0/24'], entry('pip', { address: '20.30.40.50' })));
  assert.ok(allows(['20.30.40.50'], entry('pip', { address: '20.30.40.50' })), 'a bare address is a /32');
  assert.is(allows(['20.30.40.0/24'], entry('pip', { address: '20.30.41.1' })), undefined);
  const prefix = (cidr: string) => entry('ippre', { prefix: cidr, id: `${SUB}/Microsoft.Network/publicIPPrefixes/ippre` });
  assert.ok(allows(['20.30.40.0/24'], prefix('20.30.40.16/28')));
  assert.is(allows(['20.30.40.0/30'], prefix('20.30.40.0/28')), undefined, 'a prefix only partly inside is not allowed');
  assert.is(allows(['0.0.0.0/0'], entry('pip')), undefined, 'an address assigned at deployment matches no block');
  assert.ok(allows(['2001:db8::/32'], entry('pip6', { address: '2001:db8:1::5' })));
  assert.is(allows(['2001:db8::/32'], entry('pip', { address: '20.30.40.50' })), undefined, 'families never mix');
});

allow('bad entries name their index and what is wrong', () => {
  assert.equal(parseAllowList(['pip-ok', '20.30.40.300/24', '20.30.40.1/24', '', 'rg/pip', '10.0.0.0/33', 'fd00::1::2']).errors, [
    "allow[1] '20.30.40.300/24' is not a valid IP address or CIDR block (such as 20.50.1.0/28)",
    "allow[2] '20.30.40.1/24' has host bits set; a CIDR block starts at its network address",
    'allow[3] is empty',
    "allow[4] 'rg/pip' is neither a name nor a resource id (ids start with '/subscriptions/')",
    "allow[5] '10.0.0.0/33' is not a valid IP address or CIDR block (such as 20.50.1.0/28)",
    "allow[6] 'fd00::1::2' is not a valid IP address or CIDR block (such as 20.50.1.0/28)",
  ]);
});

allow.run();

// ---- the CLI -----------------------------------------------------------------------------------------------------
const cli = suite('lock and allow through the CLI');

const repo = (files: Record<string, string>): string => scratchDir(files, true);

cli('egress-lint lock writes egress.lock.json and says what it wrote; a second run writes the same bytes', async () => {
  const dir = repo({ 'infra/main.json': WEB_1 });
  const r = await runCli(['lock', 'infra'], dir);
  assert.is(r.code, 0, r.err);
  assert.is(r.out, 'Wrote egress.lock.json: 1 VM in 1 template.\n  vm-web (infra/main.json): deterministic; pip-vm1\n');
  const text = readFileSync(join(dir, 'egress.lock.json'), 'utf8');
  assert.match(text, /"file": "infra\/main\.json"/);
  assert.not.match(text, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute path');
  const again = await runCli(['lock', 'infra'], dir);
  assert.is(again.code, 0);
  assert.match(again.out, /No egress changed since the previous egress\.lock\.json\.\n$/);
  assert.is(readFileSync(join(dir, 'egress.lock.json'), 'utf8'), text);
});

cli('--lock: unchanged passes; a change is egress-changed with + and -, and lock shows it too', async () => {
  const dir = repo({ 'infra/main.json': WEB_1 });
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  const same = await runCli(['infra', '--lock', 'egress.lock.json', '--format', 'json'], dir);
  assert.is(same.code, 0, same.err);
  assert.equal(JSON.parse(same.out).findings, []);
  writeFileSync(join(dir, 'infra/main.json'), WEB_3);
  const r = await runCli(['infra', '--lock', 'egress.lock.json', '--format', 'json'], dir);
  assert.is(r.code, 1);
  const changed = (JSON.parse(r.out) as { findings: { ruleId: string; message: string; line: number; file: string }[] }).findings.filter((f) => f.ruleId === 'egress-changed');
  assert.equal(changed.map((f) => [f.file, f.message]), [['infra/main.json', "The egress of 'vm-web' differs from egress.lock.json: + pip-nat, - pip-vm1; verdict deterministic → non-deterministic."]]);
  assert.is(changed[0].line, WEB_3.split('\n').findIndex((l) => l.includes('"type": "Microsoft.Compute/virtualMachines"')), 'at the VM (the line of its opening brace)');
  const l = await runCli(['lock', 'infra'], dir);
  assert.match(l.out, /Changes since the previous egress\.lock\.json:\n {2}vm-web: \+ pip-nat, - pip-vm1; verdict deterministic → non-deterministic\n$/);
  assert.is((await runCli(['infra', '--lock', 'egress.lock.json', '--rule', 'dynamic-public-ip=off', '--rule', 'invalid-outbound-configuration=off'], dir)).code, 0, 'the updated lock passes');
});

cli('config lock: relative to the config file, used by lint and by lock; --rule egress-changed=off turns the rule off', async () => {
  const dir = repo({ 'infra/main.json': WEB_1, 'egress-lint.config.json': '{ "lock": "ci/egress.lock.json" }' });
  const sub = join(dir, 'infra');
  const missing = await runCli(['.'], sub);
  assert.is(missing.code, 2);
  assert.is(missing.err, "egress-lint: The lock file ../ci/egress.lock.json does not exist; run 'egress-lint lock' to write it from the templates as they are now.\n");
  const w = await runCli(['lock', '.'], sub);
  assert.is(w.code, 2, 'the folder of the lock must exist');
  assert.match(w.err, /Cannot write \.\.\/ci\/egress\.lock\.json: ENOENT/);
  mkdirSync(join(dir, 'ci'));
  assert.is((await runCli(['lock', '.'], sub)).code, 0);
  const text = readFileSync(join(dir, 'ci/egress.lock.json'), 'utf8');
  assert.match(text, /"file": "\.\.\/infra\/main\.json"/, 'paths are relative to the lock file');
  assert.is((await runCli(['.'], sub)).code, 0);
  writeFileSync(join(dir, 'infra/main.json'), WEB_2);
  const r = await runCli(['.', '--no-color'], sub);
  assert.is(r.code, 1);
  assert.match(r.out, /error +The egress of 'vm-web' differs from \.\.\/ci\/egress\.lock\.json: \+ pip-nat, - pip-vm1\. +egress-changed/);
  assert.is((await runCli(['.', '--rule', 'egress-changed=off'], sub)).code, 0);
});

cli('a lint of some templates compares only their VMs; lock keeps the others; a deleted template is reported at the lock', async () => {
  const dir = repo({ 'infra/a/main.json': WEB_1, 'infra/b/main.json': WEB_2.replace(/vm-web/g, 'vm-api') });
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  const all = readFileSync(join(dir, 'egress.lock.json'), 'utf8');
  // pre-commit passes only the changed file: the other template's VM is not "gone".
  assert.is((await runCli(['infra/a/main.json', '--lock', 'egress.lock.json'], dir)).code, 0);
  assert.is((await runCli(['lock', 'infra/a/main.json'], dir)).code, 0);
  assert.is(readFileSync(join(dir, 'egress.lock.json'), 'utf8'), all, 'the entry of infra/b stays');
  rmSync(join(dir, 'infra/b/main.json'));
  const r = await runCli(['infra', '--lock', 'egress.lock.json', '--format', 'json'], dir);
  assert.is(r.code, 1);
  const f = (JSON.parse(r.out) as { findings: { ruleId: string; file: string; line: number; message: string }[] }).findings;
  assert.equal(f.map((x) => [x.ruleId, x.file, x.message]), [['egress-changed', 'egress.lock.json', "'vm-api' of egress.lock.json is no longer deployed by infra/b/main.json; its egress was pip-nat (deterministic)."]]);
  assert.is(f[0].line, all.split('\n').findIndex((l) => l.includes('virtualmachines/vm-api"')) + 1, 'at its entry in the lock');
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  assert.not.match(readFileSync(join(dir, 'egress.lock.json'), 'utf8'), /vm-api/, 'lock drops the entries of a deleted template');
});

cli('a lock entry keyed "__proto__" is a VM like any other: still there, it is reported as no longer deployed', async () => {
  const dir = repo({ 'infra/main.json': WEB_1 });
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  const text = readFileSync(join(dir, 'egress.lock.json'), 'utf8');
  // The same entry under the key "__proto__" (as a hand-edited or hostile lock may have it): a VM no template deploys.
  const parsed = JSON.parse(text) as { vms: Record<string, { name: string }> };
  const [entry] = Object.values(parsed.vms);
  const withProto = text.replace('"vms": {', `"vms": {\n    "__proto__": ${JSON.stringify({ ...entry, name: 'vm-proto' })},`);
  writeFileSync(join(dir, 'egress.lock.json'), withProto);
  const r = await runCli(['infra', '--lock', 'egress.lock.json', '--format', 'json'], dir);
  assert.is(r.code, 1, r.err);
  const f = (JSON.parse(r.out) as { findings: { ruleId: string; message: string }[] }).findings.filter((x) => x.ruleId === 'egress-changed');
  assert.equal(f.map((x) => x.message), ["'vm-proto' of egress.lock.json is no longer deployed by infra/main.json; its egress was pip-vm1 (deterministic)."]);
});

cli('a template that cannot be read: not compared, its lock entries kept, and lock exits 1', async () => {
  const dir = repo({ 'infra/main.json': WEB_1 });
  assert.is((await runCli(['lock', 'infra'], dir)).code, 0);
  const before = readFileSync(join(dir, 'egress.lock.json'), 'utf8');
  writeFileSync(join(dir, 'infra/main.json'), WEB_1.slice(0, 200));
  const r = await runCli(['infra', '--lock', 'egress.lock.json', '--format', 'json'], dir);
  assert.is(r.code, 1);
  assert.equal([...new Set((JSON.parse(r.out) as { findings: { ruleId: string }[] }).findings.map((x) => x.ruleId))], ['template-invalid']);
  const l = await runCli(['lock', 'infra'], dir);
  assert.is(l.code, 1);
  assert.match(l.err, /^egress-lint: infra\/main\.json:\d+:\d+: .+ \[template-invalid\]\n/);
  assert.match(l.err, /the VMs of those templates may be missing from egress\.lock\.json or incomplete\.\n$/);
  assert.is(readFileSync(join(dir, 'egress.lock.json'), 'utf8'), before);
});

cli('a lock file that is not one stops the run (exit 2) naming the file, the line and the fix', async () => {
  const dir = repo({ 'infra/main.json': WEB_1, 'egress.lock.json': '{\n  "version": 1,\n  "vms": { "x": { "name": "vm" } }\n}\n' });
  const r = await runCli(['infra', '--lock', 'egress.lock.json'], dir);
  assert.is(r.code, 2);
  assert.match(r.err, /^egress-lint: egress\.lock\.json: line 3: vms\["x"\]\.type must be a non-empty string\.\n/);
  assert.match(r.err, /Rewrite it with 'egress-lint lock'\.\n$/);
  assert.not.match(r.err, /--help/);
  const w = await runCli(['lock', 'infra'], dir);
  assert.is(w.code, 0, 'lock replaces it');
  assert.match(w.err, /replacing egress\.lock\.json, which is not a lock file this egress-lint reads/);
  assert.is((await runCli(['lock', 'infra', '--base', 'HEAD'], dir)).code, 2);
});

cli('config allow: egress outside it is egress-not-allowed; a bad entry is exit 2 naming the file and the entry', async () => {
  const dir = repo({ 'infra/main.json': WEB_2, 'egress-lint.config.json': '{ "allow": ["pip-vm1"] }' });
  const r = await runCli(['infra', '--format', 'json'], dir);
  assert.is(r.code, 1);
  const f = (JSON.parse(r.out) as { findings: { ruleId: string; message: string }[] }).findings.filter((x) => x.ruleId === 'egress-not-allowed');
  assert.equal(f.map((x) => x.message), ["'vm-web' sends Internet traffic from 'pip-nat' via nat-gateway, which is not in the allow-list."]);
  writeFileSync(join(dir, 'egress-lint.config.json'), '{ "allow": ["pip-*"] }');
  assert.is((await runCli(['infra'], dir)).code, 0);
  writeFileSync(join(dir, 'egress-lint.config.json'), '{ "allow": ["pip-nat", "20.30.40.300/24"] }');
  const bad = await runCli(['infra'], dir);
  assert.is(bad.code, 2);
  assert.is(bad.err, "egress-lint: egress-lint.config.json: allow[1] '20.30.40.300/24' is not a valid IP address or CIDR block (such as 20.50.1.0/28).\n");
  // Without `allow` the rule says nothing.
  writeFileSync(join(dir, 'egress-lint.config.json'), '{}');
  assert.is((await runCli(['infra'], dir)).code, 0);
});

cli.run();

// ---- the allowlist format ----------------------------------------------------------------------------------------
const fmt = suite('allowlist format (firewall-ready)');

fmt('CIDR blocks when the address is known, a comment line naming each identity whose address is not, and one for every VM and template that cannot be listed', async () => {
  const { discover } = await import('../api/discover.js');
  const { lintFiles } = await import('../api/run.js');
  const dir = repo({ 'a.json': WEB_1, 'b.json': WEB_3, 'c.json': '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", ' });
  const withAddress = WEB_1.replace('"properties": { "publicIPAllocationMethod": "Static" }', '"properties": { "publicIPAllocationMethod": "Static", "ipAddress": "20.30.40.50" }').replace(/vm-web/g, 'vm-exported');
  writeFileSync(join(dir, 'd.json'), withAddress);
  const results = lintFiles((await discover(['.'], dir)).targets, { cwd: dir, rules });
  const text = FORMATTERS.allowlist(results, { version: '0', color: false, cwd: dir, rules });
  const lines = text.trimEnd().split('\n');
  // Every line that is not an address is a comment: a firewall tool that skips '#' lines can read the file.
  assert.equal(lines.filter((l) => !l.startsWith('#')).map((l) => l.split('  # ')[0]), ['20.30.40.50/32']);
  assert.ok(lines.includes('20.30.40.50/32  # vm-exported via instance-public-ip'));
  assert.ok(lines.includes('# pip-vm1: address known after deployment; vm-web via instance-public-ip; /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resource-group/providers/Microsoft.Network/publicIPAddresses/pip-vm1'), text);
  assert.ok(lines.some((l) => /^# vm-web: cannot be allow-listed: non-deterministic \(nic-web\/ipconfig1: .*'pip-nat' is not static\)$/.test(l)), text);
  assert.ok(lines.some((l) => /^# c\.json: not fully analysed, so its VMs may be missing here: .+/.test(l)), text);
  assert.ok(existsSync(join(dir, 'a.json')));
});

fmt.run();
