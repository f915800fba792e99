#!/usr/bin/env bash
# The differential check against Azure's own template engine (the Bicep CLI's snapshot): the expression tables
# (bench/oracle-expressions.ts) and a fixed sample of the corpus (bench/oracle.ts), each against its committed
# expectations (bench/oracle-expressions-expected.json, bench/oracle-expected.json). A new or unexplained difference
# fails the run, and so does a known one that is gone (update the file). Run from the repository root, with the
# Bicep CLI on PATH (scripts/ci/install-bicep.sh puts it in .tools/bin); without it, or without ../shared/corpus,
# the part that needs it says it is skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v bicep >/dev/null 2>&1; then
  echo "oracle: skipped: the expression tables and the corpus sample against Azure's engine (no Bicep CLI on PATH; scripts/ci/install-bicep.sh installs it)"
  exit 0
fi
# Compiled once for both checks (what `npm run oracle` and `npm run oracle:expressions` do each time).
npx tsc -p tsconfig.bench.json
node .bench-build/bench/oracle-expressions.js --expect bench/oracle-expressions-expected.json
if [ -d ../shared/corpus ]; then
  node .bench-build/bench/oracle.js ../shared/corpus --expect bench/oracle-expected.json
else
  echo "oracle: skipped: the corpus sample against Azure's engine (../shared/corpus not found)"
fi
