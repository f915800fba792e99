#!/usr/bin/env bash
# CI: the GitHub Action from a clean checkout, as `uses: egress-lint/egress-lint@v1` gets it: a snapshot of this
# repository without node_modules or dist (uncommitted work included) is the action path; its setup step must
# install and build it (npm ci from the registry, then tsc), and its lint step must lint the bundled examples
# with a simulated GITHUB_* environment: exit 1 (they have errors), outputs, SARIF, JSON and the step summary.
# test/action.test.ts covers the inputs in detail against a fresh build; this checks the install path.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/ci/lib.sh
. scripts/ci/lib.sh
src=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

action="$tmp/action"
snapshot "$action"
if [ -e "$action/dist" ] || [ -e "$action/node_modules" ]; then
  echo "action: the snapshot holds dist/ or node_modules/: .gitignore should exclude them" >&2
  exit 1
fi

workspace="$tmp/workspace"
mkdir -p "$workspace"
cp -R "$src/examples" "$workspace/examples"
: >"$tmp/output"
: >"$tmp/summary"
export GITHUB_ACTION_PATH="$action" GITHUB_WORKSPACE="$workspace" GITHUB_OUTPUT="$tmp/output" GITHUB_STEP_SUMMARY="$tmp/summary" CI=true
export INPUT_PATHS=examples INPUT_CONFIG='' INPUT_FORMAT=stylish INPUT_FAIL_LEVEL=error INPUT_SARIF_FILE=egress-lint.sarif INPUT_JSON_FILE=egress-lint.json

echo "action: setup step (npm ci, build) in a clean checkout"
(cd "$workspace" && bash "$GITHUB_ACTION_PATH/scripts/action/setup.sh")
echo "action: lint step on the examples"
set +e
(cd "$workspace" && bash "$GITHUB_ACTION_PATH/scripts/action/run.sh") >"$tmp/log" 2>&1
code=$?
set -e

fail() {
  echo "action: FAILED: $1" >&2
  sed 's/^/    /' "$tmp/log" >&2
  exit 1
}
[ "$code" -eq 1 ] || fail "the lint step exited $code, expected 1 (the examples have error-level findings)"
grep -q '^sarif=egress-lint.sarif$' "$tmp/output" || fail "no sarif output"
grep -q '^egress-json=egress-lint.json$' "$tmp/output" || fail "no egress-json output"
node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (s.version !== "2.1.0" || !s.runs[0].results.length) process.exit(1)' "$workspace/egress-lint.sarif" || fail "the SARIF file is not a SARIF 2.1.0 report with results"
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (r.version !== 1 || !r.vms.some((v) => v.name === "vm-multi-nic")) process.exit(1)' "$workspace/egress-lint.json" || fail "the JSON report lacks vm-multi-nic"
grep -q 'vm-multi-nic' "$tmp/summary" || fail "the step summary lacks vm-multi-nic"
grep -q 'vm-multi-nic.*non-deterministic' "$tmp/log" || fail "the log lacks the stylish report"
echo "action: ok: built from a clean checkout; exit 1, outputs, SARIF, JSON report and step summary as expected"
