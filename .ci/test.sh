#!/usr/bin/env bash
# `npm test`: every test, offline. Build, typecheck, lint, unit tests, the suite inside a real
# VS Code, and the end-to-end scenario in Chromium. Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
log=$(mktemp -d)
stage() { echo; echo "=== $1"; }
t0=$(date +%s)

stage "build";     npm run -s build && node .ci/build.mjs --tests
stage "typecheck"; npx tsc -p . --noEmit
stage "lint";      npx eslint -c .ci/eslint.config.mjs src webview test bench
stage "unit";      node --test --test-reporter=spec out/test/unit/ 2>&1 | tee "$log/unit"
stage "vscode";    node out/test/harness/run-vscode-tests.js 2>&1 | tee "$log/vscode"
stage "e2e";       node out/test/e2e/scenario.js 2>&1 | tee "$log/e2e"

# One closing line over all runners.
unit_pass=$(grep -oP '^ℹ pass \K\d+' "$log/unit" || echo 0)
unit_fail=$(( $(grep -oP '^ℹ fail \K\d+' "$log/unit" || echo 0) + $(grep -oP '^ℹ cancelled \K\d+' "$log/unit" || echo 0) ))
read -r vs_pass vs_fail < <(grep -oP '^(\d+) passed, (\d+) failed$' "$log/vscode" | tail -1 | awk '{print $1, $3}')
read -r e2e_pass e2e_fail < <(grep -oP '^e2e: \K\d+ passed, \d+ failed' "$log/e2e" | awk '{print $1, $3}')
echo
echo "unit $unit_pass/$((unit_pass + unit_fail)), vscode $vs_pass/$((vs_pass + vs_fail)), e2e $e2e_pass/$((e2e_pass + e2e_fail)) in $(( $(date +%s) - t0 )) s"
echo "all: $((unit_pass + vs_pass + e2e_pass)) passed, $((unit_fail + vs_fail + e2e_fail)) failed"
