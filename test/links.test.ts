// Linked templates read by the CLI (contract, "Linked templates"): the root links may not leave is the repository
// that holds the template, or the folder named on the command line outside git, never the working directory; the
// configuration's `links` maps URL prefixes to local folders; a link that is not read makes the paths it could
// change unknown.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pathToFileURL } from 'node:url';
import { fileUrl } from '../api/files.js';
import { main } from '../cli/main.js';
import { capture, scratchDir } from './harness/io.js';
import { LINKED_VNET, linkingTemplate } from './harness/linked-templates.js';

const test = suite('links');
async function lint(cwd: string, args: string[]): Promise<{ code: number; report: { vms: { name: string; verdict: string; egress: { name: string }[] }[]; findings: { ruleId: string; message: string }[] }; err: string }> {
  const c = capture(cwd);
  const code = await main([...args, '--format', 'json'], c.io);
  return { code, report: JSON.parse(c.out() || '{"vms":[],"findings":[]}') as never, err: c.err() };
}

test("a template in another repository reads that repository's linked files (its git top level is the root)", async () => {
  const repo = scratchDir({ 'infra/main.json': linkingTemplate({ relativePath: '../shared/vnet.json' }), 'shared/vnet.json': LINKED_VNET }, true);
  const elsewhere = scratchDir({});
  const r = await lint(elsewhere, [join(repo, 'infra/main.json')]);
  assert.equal(r.report.vms.map((v) => [v.name, v.verdict, v.egress.map((e) => e.name)]), [['vm1', 'deterministic', ['pip-nat']]], r.err);
  assert.not.ok(r.report.findings.some((f) => /outside the project root/.test(f.message)));
});

test('outside git the folder named on the command line is the root: a link above it is refused and the path is unknown', async () => {
  const dir = scratchDir({ 'infra/main.json': linkingTemplate({ relativePath: '../shared/vnet.json' }), 'shared/vnet.json': LINKED_VNET });
  const named = await lint(dir, ['infra']);
  assert.ok(named.report.findings.some((f) => f.ruleId === 'template-invalid' && /'\.\.\/shared\/vnet\.json' cannot be read: it is outside the project root/.test(f.message)), JSON.stringify(named.report.findings));
  assert.equal(named.report.vms.map((v) => v.verdict), ['unknown']);
  // Naming the folder that holds both makes it the root.
  const both = await lint(dir, ['.']);
  assert.equal(both.report.vms.map((v) => v.verdict), ['deterministic']);
});

test("the configuration's links read a URL prefix from a local folder; another URL stays unread and the VM unknown", async () => {
  const dir = scratchDir(
    {
      'egress-lint.config.json': JSON.stringify({ links: { 'https://raw.githubusercontent.com/org/net/main/': 'vendor/net' } }),
      'infra/main.json': linkingTemplate({ uri: 'https://raw.githubusercontent.com/org/net/main/templates/vnet.json?sv=2024&sig=x' }),
      'infra/other.json': linkingTemplate({ uri: 'https://example.com/vnet.json' }),
      'vendor/net/templates/vnet.json': LINKED_VNET,
    },
    true,
  );
  const mapped = await lint(dir, ['infra/main.json']);
  assert.equal(mapped.report.vms.map((v) => [v.verdict, v.egress.map((e) => e.name)]), [['deterministic', ['pip-nat']]], JSON.stringify(mapped.report.findings));
  const unmapped = await lint(dir, ['infra/other.json']);
  assert.equal(unmapped.report.vms.map((v) => v.verdict), ['unknown']);
  assert.ok(unmapped.report.findings.some((f) => f.ruleId === 'unresolved-egress' && /'https:\/\/example\.com\/vnet\.json' is not read/.test(f.message)), JSON.stringify(unmapped.report.findings));
  // A URL is never a template problem: Azure reads it at deployment.
  assert.not.ok(unmapped.report.findings.some((f) => f.ruleId === 'template-invalid'));
});

test('a bad links entry in the configuration is exit 2 naming it', async () => {
  const dir = scratchDir({ 'egress-lint.config.json': JSON.stringify({ links: { 'not a url': '.' } }), 'main.json': linkingTemplate({ relativePath: 'vnet.json' }) });
  const r = await lint(dir, ['main.json']);
  assert.is(r.code, 2);
  assert.match(r.err, /links/);
});

test('a file URL (deployment().properties.templateLink.uri, _artifactsLocation) is what pathToFileURL writes, whatever the path', () => {
  const paths = ['/a/b.json', '/', '/x/y/', '/x//y/', '/x/./y', '/x/../y', '/x/.../y', '/x/.hidden/a.json', '/c/Azure+azure-quickstart-templates/a b.json', '/x/%41.json', '/x/#a?.json', '/x/\u00e4.json', '/x/a\\b', "/x/it's(1).json", '/x/a:b@c.json', '/x/[1]{2}|^`.json', '/x/a\tb\nc', '/x/"q"<>.json', '/x/~user/$HOME;=,&!*.json'];
  for (const p of paths) assert.is(fileUrl(p), pathToFileURL(p).href, p);
});

test.run();
