// The GitHub Action's count outputs, from the JSON report (the contract of egress-model.md, so the counts agree
// with the log, the SARIF file and the exit code): prints `name=value` lines for $GITHUB_OUTPUT.
//   node counts.mjs <egress-lint.json>
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const findings = report.findings ?? [];
const severity = (s) => findings.filter((f) => f.severity === s).length;
// One egress-changed finding per VM whose egress differs (changed, appeared or gone); none without a comparison.
const changed = new Set(findings.filter((f) => f.ruleId === 'egress-changed').map((f) => `${f.file}\u0000${f.resource ?? f.line}`));
const counts = {
  errors: severity('error'),
  warnings: severity('warning'),
  'unknown-vms': (report.vms ?? []).filter((v) => v.verdict === 'unknown').length,
  'changed-vms': changed.size,
};
process.stdout.write(Object.entries(counts).map(([k, v]) => `${k}=${v}\n`).join(''));
