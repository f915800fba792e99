#!/usr/bin/env bash
# The GitHub Action's lint step: one egress-lint run prints the chosen format to the log and writes the SARIF file,
# the JSON report and the Markdown step summary; the fail level decides the step's exit status.
# Inputs arrive as INPUT_* variables (action.yml maps them: composite actions do not set them on their own).
# EGRESS_LINT_BIN overrides the CLI's entry point (tests point it at a fresh build).
set -euo pipefail
set -f # the paths input may hold globs: egress-lint expands them, not bash

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: this script is the lint step of the action}"
bin="${EGRESS_LINT_BIN:-$action_path/dist/cli/bin.js}"
format="${INPUT_FORMAT:-stylish}"
fail_level="${INPUT_FAIL_LEVEL:-error}"
sarif="${INPUT_SARIF_FILE:-egress-lint.sarif}"
json="${INPUT_JSON_FILE:-egress-lint.json}"

case "$fail_level" in
  error | warning | never) ;;
  *)
    echo "::error title=egress-lint::fail-level must be error, warning or never, not '$fail_level'."
    exit 2
    ;;
esac

# Paths are separated by spaces or newlines.
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
if [ "${#paths[@]}" -eq 0 ]; then paths=(.); fi

mkdir -p "$(dirname "$sarif")" "$(dirname "$json")"
args=(--format "$format" --report "sarif=$sarif" --report "json=$json")
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ "$fail_level" = warning ]; then args+=(--max-warnings 0); fi
# The base commit must be in the checkout: actions/checkout fetches one commit unless fetch-depth is 0.
if [ -n "${INPUT_BASE:-}" ]; then args+=(--base "$INPUT_BASE"); fi

summary=""
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # The CLI's own help lists its formats: an older egress-lint may not have markdown.
  if node "$bin" --help 2>/dev/null | grep -q 'markdown'; then
    summary="$(mktemp)"
    args+=(--report "markdown=$summary")
  else
    echo "::notice title=egress-lint::this egress-lint has no markdown format; the step summary is skipped."
  fi
fi

set +e
node "$bin" "${args[@]}" -- "${paths[@]}"
code=$?
set -e

if [ "$code" -ge 2 ]; then
  echo "::error title=egress-lint::egress-lint could not lint (exit code $code); see the message above."
  exit "$code"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif=$sarif"
    echo "egress-json=$json"
  } >>"$GITHUB_OUTPUT"
fi
if [ -n "$summary" ]; then
  cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  rm -f "$summary"
fi

if [ "$fail_level" = never ]; then exit 0; fi
exit "$code"
