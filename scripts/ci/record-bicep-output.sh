#!/usr/bin/env bash
# Records what the Bicep CLI on PATH prints for fixtures/bicep (main.bicep, prod.bicepparam, broken/broken.bicep)
# into fixtures/bicep/cli-output, which the stand-in of test/bicep.test.ts replays so those tests need no CLI.
# test/bicep-cli.test.ts checks, when the real CLI is on PATH, that the recordings are still what it prints.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=fixtures/bicep/cli-output
bicep build fixtures/bicep/main.bicep --stdout > "$out/main.bicep.build.stdout" 2>/dev/null
bicep build-params fixtures/bicep/prod.bicepparam --stdout > "$out/prod.bicepparam.build-params.stdout" 2>/dev/null
set +e
bicep build fixtures/bicep/broken/broken.bicep --stdout > /dev/null 2> "$out/broken.bicep.build.stderr.tmp"
echo $? > "$out/broken.bicep.build.exit"
set -e
# The stand-in writes the path it was given where @FILE@ stands.
sed "s#^$PWD/fixtures/bicep/broken/broken.bicep(#@FILE@(#" "$out/broken.bicep.build.stderr.tmp" > "$out/broken.bicep.build.stderr"
rm "$out/broken.bicep.build.stderr.tmp"
echo "record-bicep-output: $(bicep --version)"
