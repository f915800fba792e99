#!/usr/bin/env bash
# CI: the pre-commit hook, tested for real with Debian's pre-commit package. A snapshot of this repository (the
# working tree, uncommitted work included) becomes a one-commit hook repository; a temporary project repository
# holds a passing template, a failing one with its parameter file, and a package.json the hook must skip. Then
# `pre-commit try-repo` on each file, and the README's .pre-commit-config.yaml with `pre-commit install` and real
# `git commit`s, must pass or fail as expected. Skips with a message when pre-commit cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/ci/lib.sh
. scripts/ci/lib.sh
src=$(pwd)

if ! command -v pre-commit >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "precommit: installing Debian's pre-commit"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit >/dev/null
  else
    echo "precommit: skipped: pre-commit is not installed, and apt-get as root is not available to install it"
    exit 0
  fi
fi
echo "precommit: $(pre-commit --version), node $(node --version), npm $(npm --version)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/cache" # a fresh hook environment: pre-commit installs the hook as a user's machine does
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@localhost GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@localhost
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 # no user settings (signing, hooks paths) in the way

# The hook repository: tracked and untracked files that .gitignore does not exclude (try-repo on the checkout
# itself would see only committed and tracked changes).
hooks="$tmp/egress-lint"
snapshot "$hooks"
git -C "$hooks" init -q
git -C "$hooks" add -A
git -C "$hooks" commit -qm snapshot
rev=$(git -C "$hooks" rev-parse HEAD)

# The project a user commits to.
project="$tmp/project"
mkdir -p "$project/infra/app" "$project/infra/legacy" "$project/infra/accepted"
cp "$src/fixtures/config/vm.json" "$project/infra/app/main.json"
cp "$src/fixtures/config/vm.json" "$project/infra/legacy/main.json"
cp "$src/fixtures/config/basic.parameters.json" "$project/infra/legacy/main.parameters.json"
# The failing template again, in a folder whose own configuration accepts what it reports.
cp "$src/fixtures/config/vm.json" "$project/infra/accepted/main.json"
cp "$src/fixtures/config/basic.parameters.json" "$project/infra/accepted/main.parameters.json"
echo '{ "rules": { "dynamic-public-ip": "off", "retired-sku": "off" } }' >"$project/infra/accepted/egress-lint.config.json"
echo '{ "name": "project", "private": true }' >"$project/package.json"
git -C "$project" init -q
git -C "$project" add -A
git -C "$project" commit -qm "the project" --no-verify
cd "$project"

failures=0
# expect <exit status> <what> <pre-commit args...>
expect() {
  local want=$1 what=$2
  shift 2
  set +e
  "$@" >"$tmp/out" 2>&1
  local got=$?
  set -e
  if [ "$got" -eq "$want" ]; then
    echo "precommit: ok: $what (exit $got)"
  else
    echo "precommit: FAILED: $what: exit $got, expected $want; output:"
    sed 's/^/    /' "$tmp/out"
    failures=$((failures + 1))
  fi
}
expect_output() {
  if grep -q -- "$1" "$tmp/out"; then echo "precommit: ok: the output shows $1"; else
    echo "precommit: FAILED: the output does not show $1:"
    sed 's/^/    /' "$tmp/out"
    failures=$((failures + 1))
  fi
}

echo "precommit: installing the hook (npm install, build, npm pack, npm install -g) ..."
expect 0 "try-repo on a passing template" pre-commit try-repo "$hooks" egress-lint --files infra/app/main.json
expect 1 "try-repo on a failing template" pre-commit try-repo "$hooks" egress-lint --files infra/legacy/main.json
expect_output "dynamic-public-ip"
expect 1 "try-repo on the failing template's parameter file alone" pre-commit try-repo "$hooks" egress-lint --files infra/legacy/main.parameters.json
expect_output "infra/legacy/main.json"
expect 0 "try-repo on package.json only (not a template: skipped)" pre-commit try-repo "$hooks" egress-lint --files package.json
expect 0 "try-repo on a template whose folder's configuration accepts it (pre-commit runs at the root)" pre-commit try-repo "$hooks" egress-lint --files infra/accepted/main.json

# The README's .pre-commit-config.yaml, installed as a git hook, guarding real commits.
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: egress-lint
YAML
git add .pre-commit-config.yaml
git commit -qm "pre-commit config" --no-verify
expect 0 "pre-commit install" pre-commit install
sed -i 's/"defaultValue": "Standard"/"defaultValue": "Basic"/' infra/app/main.json
git add infra/app/main.json
expect 1 "git commit of a template made to fail is blocked" git commit -qm "Basic SKU"
expect_output "dynamic-public-ip"
git reset -q --hard HEAD # drop the blocked change
echo '{ "name": "project", "private": true, "version": "1.0.0" }' >package.json
git add package.json
expect 0 "git commit touching only package.json passes" git commit -qm "version"

if [ "$failures" -gt 0 ]; then
  echo "precommit: $failures check(s) failed"
  exit 1
fi
echo "precommit: all checks passed"
