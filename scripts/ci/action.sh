#!/usr/bin/env bash
# CI: the GitHub Action from a clean checkout, as `uses: egress-lint/egress-lint@v1` gets it: a snapshot of this
# repository without node_modules or dist (uncommitted work included) is the action path; its setup steps must
# install and build it (npm ci from the registry, then tsc) into npm's cache folder that actions/cache keeps, a
# second clean checkout must install from that cache alone (offline), and the lint step must lint the bundled
# examples with a simulated GITHUB_* environment: exit 1 (they have errors), annotations, outputs with counts,
# reports under RUNNER_TEMP, the step summary and the comment.
# test/action.test.ts covers the inputs in detail against a fresh build; this checks the install path.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/ci/lib.sh
. scripts/ci/lib.sh
src=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "action: FAILED: $1" >&2
  if [ -f "$tmp/log" ]; then sed 's/^/    /' "$tmp/log" >&2; fi
  exit 1
}

workspace="$tmp/workspace"
mkdir -p "$workspace" "$tmp/runner-temp"
cp -R "$src/examples" "$workspace/examples"
: >"$tmp/summary"
export GITHUB_WORKSPACE="$workspace" GITHUB_STEP_SUMMARY="$tmp/summary" CI=true
export RUNNER_TEMP="$tmp/runner-temp" RUNNER_OS=Linux RUNNER_ARCH=X64
export GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=octo-org/infra GITHUB_RUN_ID=4242
export INPUT_PATHS=examples INPUT_CONFIG='' INPUT_FORMAT=stylish INPUT_FAIL_LEVEL=error INPUT_ANNOTATIONS=true INPUT_SARIF_FILE='' INPUT_JSON_FILE='' INPUT_EGRESS_LIST_FILE=''

# output FILE NAME: a step output's value.
output() { sed -n "s/^$2=//p" "$1" | tail -n 1; }

# setup N: the two setup steps in a fresh snapshot ($tmp/action-N), as the action runs them.
setup() {
  local action="$tmp/action-$1"
  snapshot "$action"
  if [ -e "$action/dist" ] || [ -e "$action/node_modules" ]; then fail "the snapshot holds dist/ or node_modules/: .gitignore should exclude them"; fi
  : >"$tmp/check-$1"
  (cd "$workspace" && GITHUB_ACTION_PATH="$action" GITHUB_OUTPUT="$tmp/check-$1" bash "$action/scripts/action/setup.sh" check)
  [ "$(output "$tmp/check-$1" build)" = true ] || fail "setup check: a checkout without dist/ needs a build"
  cache="$(output "$tmp/check-$1" npm-cache)"
  [ "$cache" = "$RUNNER_TEMP/egress-lint-npm" ] || fail "setup check: npm's cache folder is '$cache'"
  [[ "$(output "$tmp/check-$1" npm-cache-key)" =~ ^egress-lint-npm-Linux-X64-[0-9a-f]{64}$ ]] || fail "setup check: the cache key"
  (cd "$workspace" && GITHUB_ACTION_PATH="$action" EGRESS_LINT_NPM_CACHE="$cache" bash "$action/scripts/action/setup.sh")
  export GITHUB_ACTION_PATH="$action"
}

echo "action: setup steps (npm ci, build) in a clean checkout"
setup 1
[ -n "$(ls -A "$RUNNER_TEMP/egress-lint-npm" 2>/dev/null)" ] || fail "npm ci left nothing in npm's cache folder for actions/cache to save"
echo "action: setup steps again in another clean checkout, offline: npm's cache alone must do"
npm_config_offline=true setup 2

echo "action: lint step on the examples"
: >"$tmp/output"
set +e
(cd "$workspace" && GITHUB_OUTPUT="$tmp/output" bash "$GITHUB_ACTION_PATH/scripts/action/run.sh") >"$tmp/log" 2>&1
code=$?
set -e

[ "$code" -eq 1 ] || fail "the lint step exited $code, expected 1 (the examples have error-level findings)"
for name in sarif egress-json egress-list comment; do
  case "$(output "$tmp/output" "$name")" in
    "$RUNNER_TEMP"/egress-lint.*/*) [ -f "$(output "$tmp/output" "$name")" ] || fail "output $name names no file" ;;
    *) fail "output $name is not a file under RUNNER_TEMP: '$(output "$tmp/output" "$name")'" ;;
  esac
done
[ "$(find "$workspace" -type f | wc -l)" -eq "$(find "$src/examples" -type f | wc -l)" ] || fail "the lint step wrote into the workspace"
sarif="$(output "$tmp/output" sarif)"
json="$(output "$tmp/output" egress-json)"
node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (s.version !== "2.1.0" || !s.runs[0].results.length) process.exit(1)' "$sarif" || fail "the SARIF file is not a SARIF 2.1.0 report with results"
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (r.version !== 1 || !r.vms.some((v) => v.name === "vm-multi-nic")) process.exit(1)' "$json" || fail "the JSON report lacks vm-multi-nic"
errors=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r.findings.filter((f) => f.severity === "error").length)' "$json")
if [ "$(output "$tmp/output" errors)" != "$errors" ] || [ "$errors" -eq 0 ]; then fail "output errors is '$(output "$tmp/output" errors)', the JSON report has $errors"; fi
grep -q '^::error file=examples/.*,title=egress-lint (' "$tmp/log" || fail "the log lacks the annotations"
grep -q 'vm-multi-nic' "$tmp/summary" || fail "the step summary lacks vm-multi-nic"
comment="$(output "$tmp/output" comment)"
[ "$(head -n 1 "$comment")" = '<!-- egress-lint -->' ] || fail "the comment does not start with its marker"
[ "$(wc -c <"$comment")" -le 65536 ] || fail "the comment is over 65,536 bytes"
grep -q 'vm-multi-nic.*non-deterministic' "$tmp/log" || fail "the log lacks the stylish report"
echo "action: ok: built from a clean checkout, then from npm's cache offline; exit 1, annotations, outputs, reports under RUNNER_TEMP, summary and comment as expected"
