#!/usr/bin/env bash
# Validates egress-lint's SARIF the way GitHub code scanning will read it: Microsoft's SARIF Multitool
# (npm @microsoft/sarif-multitool) with the SARIF rules and its GitHub Advanced Security rules ("Ghas"), on real
# output of the bundled examples and on the SARIF goldens. Fails on any error-level result; prints the rest.
# The multitool always exits 0 after a completed analysis, so its own SARIF output is what we judge; a broken
# file is validated first to prove the check can fail.
set -euo pipefail
cd "$(dirname "$0")/../.."

MT=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$MT" ]; then
  echo "validate-sarif: skipped: $MT is absent (npm ci installs it on linux-x64 and linux-arm64)"
  exit 0
fi
# The multitool is a .NET single-file binary; without libicu it needs invariant globalization.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
node --import tsx cli/bin.ts examples --format sarif --output "$tmp/examples.sarif"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "validate-sarif: egress-lint exited $rc (2 means it could not lint)" >&2
  exit 1
fi

# Runs the validator on the given files and prints its findings; exits 1 if any is error-level.
validate() {
  local out="$1"
  shift
  rm -f "$out"
  "$MT" validate --rule-kind "Sarif;Ghas" --level "Error;Warning;Note" --output "$out" "$@" >"$out.log" 2>&1 || {
    cat "$out.log" >&2
    echo "validate-sarif: the multitool failed" >&2
    return 2
  }
  node -e '
    const fs = require("fs");
    const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const run = log.runs[0];
    if (!/multitool/i.test(run.tool.driver.name)) { console.error("not a multitool log"); process.exit(2); }
    const rules = new Map((run.tool.driver.rules || []).map((r) => [r.id, r]));
    const counts = {};
    let errors = 0;
    for (const r of run.results || []) {
      const level = r.level || (rules.get(r.ruleId)?.defaultConfiguration?.level) || "warning";
      const where = (r.locations?.[0]?.physicalLocation?.artifactLocation?.uri || "").replace(/^.*\//, "");
      const key = `${level} ${r.ruleId} ${rules.get(r.ruleId)?.name ?? ""}`;
      counts[key] = (counts[key] || 0) + 1;
      if (level === "error") {
        errors++;
        console.log(`  error ${r.ruleId} ${where}: ${(r.message.arguments || []).join(" | ")}`);
      }
    }
    for (const [k, n] of Object.entries(counts).sort()) console.log(`  ${n} × ${k}`);
    process.exit(errors ? 1 : 0);
  ' "$out"
}

# 1. The check must be able to fail: a result without locations breaks GitHub's rules.
node -e '
  const fs = require("fs");
  const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  log.runs[0].results[0].locations = [];
  fs.writeFileSync(process.argv[2], JSON.stringify(log, null, 2));
' "$tmp/examples.sarif" "$tmp/broken.sarif"
echo "validate-sarif: a deliberately broken file (must be rejected):"
set +e
validate "$tmp/broken.out.sarif" "$tmp/broken.sarif"
rc=$?
set -e
if [ "$rc" -ne 1 ]; then
  echo "validate-sarif: the validator did not reject a result without locations (rc $rc)" >&2
  exit 1
fi

# 2. The real output and the goldens.
files=("$tmp/examples.sarif" fixtures/formatters/*/expected.sarif)
echo "validate-sarif: ${#files[@]} SARIF files (examples + fixtures/formatters goldens):"
if validate "$tmp/real.out.sarif" "${files[@]}"; then
  echo "validate-sarif: no error-level problems"
else
  echo "validate-sarif: FAILED" >&2
  exit 1
fi
