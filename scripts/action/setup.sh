#!/usr/bin/env bash
# The GitHub Action's first step: makes egress-lint runnable from the action's own checkout ($GITHUB_ACTION_PATH,
# a clean clone of this repository at the ref in `uses:`): npm ci (whose prepare script runs the TypeScript
# build), unless dist/ is already there. Needs Node.js 20+ on the runner (GitHub-hosted runners have it).
set -euo pipefail
cd "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: this script is the setup step of the action}"

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "::error title=egress-lint::egress-lint needs Node.js 20 or later on the runner (found: $(node --version 2>/dev/null || echo none)); add actions/setup-node before it."
  exit 1
fi

if [ -f dist/cli/bin.js ]; then
  echo "egress-lint: using the build in $GITHUB_ACTION_PATH/dist"
  exit 0
fi
# Optional packages include esbuild's platform binary, which bundles the CLI (faster start-up); the build works
# without it too (scripts/bundle.mjs).
npm ci --no-audit --no-fund
[ -f dist/cli/bin.js ] || npm run build
echo "egress-lint: built $(node dist/cli/bin.js --version)"
