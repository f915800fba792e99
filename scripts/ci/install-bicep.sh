#!/usr/bin/env bash
# Installs the pinned Bicep CLI (scripts/ci/bicep-cli/bicep-cli.csproj) from the NuGet registry into .tools/ and
# links it as .tools/bin/bicep. Run from the repository root; put .tools/bin on PATH to use it. Needs the .NET
# SDK (dotnet); without it, says so and exits 0, so the tests that need a Bicep CLI say they are skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-bicep: no dotnet on PATH: the Bicep CLI is not installed, and the tests that need it are skipped"
  exit 0
fi
version=$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' scripts/ci/bicep-cli/bicep-cli.csproj)
tools="$PWD/.tools"
bin="$tools/nuget/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bin" ]; then
  # Restore a copy of the project, so its obj/ folder stays out of the source tree.
  rm -rf "$tools/restore"
  mkdir -p "$tools/restore"
  cp scripts/ci/bicep-cli/bicep-cli.csproj "$tools/restore/"
  dotnet restore "$tools/restore/bicep-cli.csproj" --packages "$tools/nuget" --verbosity quiet >/dev/null
  chmod +x "$bin"
fi
mkdir -p "$tools/bin"
ln -sf "$bin" "$tools/bin/bicep"
echo "install-bicep: $("$tools/bin/bicep" --version)"
