#!/usr/bin/env bash
# The GitHub Action's set-up: makes egress-lint runnable from the action's own checkout ($GITHUB_ACTION_PATH, a clean
# clone of this repository at the ref in `uses:`): npm ci (whose prepare script runs the TypeScript build), unless
# dist/ is already there. Needs Node.js 20+ on the runner (GitHub-hosted runners have it).
#   setup.sh check   the first step: checks Node.js and writes the step outputs the cache steps use: build (whether
#                    npm ci must run), npm-cache (npm's cache folder for this action, under RUNNER_TEMP), and
#                    npm-cache-key (runner OS and architecture, and the hash of the action's package-lock.json: a new
#                    lock makes a new cache) with npm-cache-prefix (the same without the hash, to restore an older one)
#   setup.sh         installs and builds; EGRESS_LINT_NPM_CACHE names npm's cache folder (restored by actions/cache)
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: this script is the setup step of the action}"

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "::error title=egress-lint::egress-lint needs Node.js 20 or later on the runner (found: $(node --version 2>/dev/null || echo none)); add actions/setup-node before it."
  exit 1
fi

if [ "${1:-}" = check ]; then
  build=true
  if [ -f dist/cli/bin.js ]; then build=false; fi
  # node, not sha256sum: macOS runners have shasum instead, and node is there everywhere the action runs.
  hash=$(node -e 'process.stdout.write(require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex"))')
  prefix="egress-lint-npm-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-"
  {
    echo "build=$build"
    echo "npm-cache=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/egress-lint-npm"
    echo "npm-cache-key=$prefix$hash"
    echo "npm-cache-prefix=$prefix"
  } >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 0
fi

if [ -f dist/cli/bin.js ]; then
  echo "egress-lint: using the build in $GITHUB_ACTION_PATH/dist"
  exit 0
fi
# npm's own cache, restored by the previous step when a run with the same lock file saved it: --prefer-offline takes
# every package from it without asking the registry. Optional packages include esbuild's platform binary, which
# bundles the CLI (faster start-up); the build works without it too (scripts/bundle.mjs).
if [ -n "${EGRESS_LINT_NPM_CACHE:-}" ]; then export npm_config_cache="$EGRESS_LINT_NPM_CACHE"; fi
npm ci --prefer-offline --no-audit --no-fund
[ -f dist/cli/bin.js ] || npm run build
echo "egress-lint: built $(node dist/cli/bin.js --version)"
