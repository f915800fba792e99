#!/usr/bin/env bash
# The GitHub Action's lint step: one egress-lint run prints the chosen format to the log and writes the SARIF file,
# the JSON report, the egress list, the Markdown job summary (within 1,000,000 bytes: GitHub takes 1 MiB per step)
# and a Markdown file for a pull-request comment (within 65,536 characters, GitHub's limit for a comment); then the
# log gets the annotations (workflow commands, most severe first, as many as GitHub shows), the step its outputs
# (paths and counts), and the fail level decides the exit status.
# Inputs arrive as INPUT_* variables (action.yml maps them: composite actions do not set them on their own).
# EGRESS_LINT_BIN overrides the CLI's entry point (tests point it at a fresh build).
set -euo pipefail
set -f # the paths input may hold globs: egress-lint expands them, not bash

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: this script is the lint step of the action}"
bin="${EGRESS_LINT_BIN:-$action_path/dist/cli/bin.js}"
format="${INPUT_FORMAT:-stylish}"
fail_level="${INPUT_FAIL_LEVEL:-error}"
annotations="${INPUT_ANNOTATIONS:-true}"

case "$fail_level" in
  error | warning | never) ;;
  *)
    echo "::error title=egress-lint::fail-level must be error, warning or never, not '$fail_level'."
    exit 2
    ;;
esac
case "$annotations" in
  true | false) ;;
  *)
    echo "::error title=egress-lint::annotations must be true or false, not '$annotations'."
    exit 2
    ;;
esac

# Reports go to a folder of this step's own under RUNNER_TEMP, outside the workspace, so later steps that commit or
# upload the workspace do not pick them up; an input that names a file puts it there instead (relative to the
# workspace). The outputs give the paths.
out="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/egress-lint.XXXXXX")"
sarif="${INPUT_SARIF_FILE:-$out/egress-lint.sarif}"
json="${INPUT_JSON_FILE:-$out/egress-lint.json}"
egress_list="${INPUT_EGRESS_LIST_FILE:-$out/egress-allowlist.txt}"

# Paths are separated by spaces or newlines.
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
if [ "${#paths[@]}" -eq 0 ]; then paths=(.); fi

mkdir -p "$(dirname "$sarif")" "$(dirname "$json")" "$(dirname "$egress_list")"
args=(--format "$format" --report "sarif=$sarif" --report "json=$json" --report "allowlist=$egress_list")
if [ -n "${INPUT_CONFIG:-}" ]; then args+=(--config "$INPUT_CONFIG"); fi
if [ "$fail_level" = warning ]; then args+=(--max-warnings 0); fi
# The base commit must be in the checkout: actions/checkout fetches one commit unless fetch-depth is 0.
if [ -n "${INPUT_BASE:-}" ]; then args+=(--base "$INPUT_BASE"); fi
# With format github the log already holds them.
if [ "$annotations" = true ] && [ "$format" != github ]; then args+=(--report "github=$out/annotations.txt"); fi

# The comment starts with a marker that a workflow finds it by, to update it rather than add another, and ends with
# a link to the run, whose job summary holds more.
marker='<!-- egress-lint -->'
link=''
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then
  link="The [job summary of run ${GITHUB_RUN_ID}](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}) shows the whole report."
fi
comment_budget=$((65536 - $(printf '%s\n\n%s\n' "$marker" "$link" | wc -c) - 64))

markdown=false
# The CLI's own help lists its formats: an older egress-lint may not have markdown.
if node "$bin" --help 2>/dev/null | grep -q 'markdown'; then
  markdown=true
  args+=(--report "markdown=$out/summary.md" --report "markdown:$comment_budget=$out/comment-body.md")
else
  echo "::notice title=egress-lint::this egress-lint has no markdown format; the step summary and the comment are skipped."
fi

set +e
node "$bin" "${args[@]}" -- "${paths[@]}"
code=$?
set -e

if [ "$code" -ge 2 ]; then
  echo "::error title=egress-lint::egress-lint could not lint (exit code $code); see the message above."
  exit "$code"
fi

if [ -f "$out/annotations.txt" ]; then cat "$out/annotations.txt"; fi

comment=''
if [ "$markdown" = true ]; then
  comment="$out/comment.md"
  { printf '%s\n\n' "$marker"; cat "$out/comment-body.md"; if [ -n "$link" ]; then printf '\n%s\n' "$link"; fi; } >"$comment"
  rm -f "$out/comment-body.md"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"; fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "sarif=$sarif"
    echo "egress-json=$json"
    echo "egress-list=$egress_list"
    echo "comment=$comment"
    node "$action_path/scripts/action/counts.mjs" "$json"
  } >>"$GITHUB_OUTPUT"
fi

if [ "$fail_level" = never ]; then exit 0; fi
exit "$code"
