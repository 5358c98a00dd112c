#!/usr/bin/env bash
# `npm test`: everything CI checks, in order, failing fast:
#   1. typecheck   npx tsc -p tsconfig.json --noEmit
#   2. lint        npx eslint . (after nx computes its project graph; warnings allowed)
#   3. unit        npx jest --selectProjects unit
#   4. int + e2e   npx jest --selectProjects integration e2e --runInBand, inside tools/stack/with-stack.js
#                  (Postgres and Redis checked, Kafka started if needed and stopped afterwards)
# Ends with one line `tests: <N> passed, <M> failed` (the jest runs added up; CI reads it) and
# exits non-zero if a step failed, a test failed, or no test ran. See docs/operations.md.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CI=true NX_DAEMON=false FORCE_COLOR=0 NO_COLOR=1

RESULTS="$(mktemp -d "${TMPDIR:-/tmp}/taskrouter-tests.XXXXXX")"
trap 'rm -rf "$RESULTS"' EXIT
PASSED=0
FAILED=0
STARTED=$(date +%s)

say() { printf '\n== %s\n' "$*" >&2; }

# Adds a jest --json result file to the counts. A suite that could not run (a syntax or import
# error) has no test results: it counts as one failure, so it cannot pass unnoticed.
add_counts() {
  local file="$1" counts
  if [[ ! -s "$file" ]]; then
    FAILED=$((FAILED + 1))
    echo "run-all: jest wrote no results ($file): counted as 1 failure" >&2
    return
  fi
  counts="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const broken = r.testResults.filter((s) => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);
  ' "$file")" || { FAILED=$((FAILED + 1)); echo "run-all: cannot read $file" >&2; return; }
  PASSED=$((PASSED + ${counts% *}))
  FAILED=$((FAILED + ${counts#* }))
}

finish() {
  local status="$1" reason="${2:-}"
  [[ -n "$reason" ]] && echo "run-all: $reason" >&2
  if (( status == 0 && FAILED > 0 )); then status=1; fi
  if (( status == 0 && PASSED == 0 )); then
    echo "run-all: no test ran" >&2
    status=1
  fi
  echo "run-all: $( (( status == 0 )) && echo OK || echo FAILED ) in $(( $(date +%s) - STARTED )) s" >&2
  echo "tests: ${PASSED} passed, ${FAILED} failed"
  exit "$status"
}

JEST_FLAGS=(--ci --watchAll=false --colors=false)

say "1/4 typecheck: tsc -p tsconfig.json --noEmit"
npx tsc -p tsconfig.json --noEmit || finish 1 "typecheck failed (tsc errors above)"

say "2/4 lint: eslint . (errors fail, warnings allowed)"
npx nx show projects >/dev/null || finish 1 "nx could not compute the project graph (needed by the lint rules)"
npx eslint . || finish 1 "lint failed (eslint errors above)"

say "3/4 unit tests: jest --selectProjects unit"
npx jest --selectProjects unit "${JEST_FLAGS[@]}" --json --outputFile="$RESULTS/unit.json"
unit_status=$?
add_counts "$RESULTS/unit.json"
(( unit_status == 0 )) || finish 1 "unit tests failed"

say "4/4 integration and e2e tests: jest --selectProjects integration e2e --runInBand, with Postgres, Redis and Kafka"
node tools/stack/with-stack.js -- npx jest --selectProjects integration e2e --runInBand "${JEST_FLAGS[@]}" --json --outputFile="$RESULTS/stack.json"
stack_status=$?
add_counts "$RESULTS/stack.json"
(( stack_status == 0 )) || finish 1 "integration/e2e tests failed (or their stack could not be brought up: see above)"

finish 0
