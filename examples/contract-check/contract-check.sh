#!/usr/bin/env bash
# Runs a command (your test suite) against the reference server behind `prism proxy --errors`.
# Prism checks every request and response against the spec shipped in fold-sessions-mock, and
# turns any violation into an error response, so your tests fail on a broken contract.
#
#   bash contract-check.sh npm test
#
# Your tests read FOLD_SESSIONS_URL (the proxy) and FOLD_API_KEY.
set -euo pipefail
mock_port=${MOCK_PORT:-4010}
proxy_port=${PROXY_PORT:-4011}
spec=$(node -p "require.resolve('fold-sessions-mock/openapi/sessions.yaml')")

# The installed commands themselves, not through npx: npx does not pass the signal of the trap
# below on to them, so they would outlive this script.
PATH="$PWD/node_modules/.bin:$PATH"
fold-sessions-mock --port "$mock_port" --in-memory --keys ci_key=org_ci > mock.log 2>&1 &
mock=$!
prism proxy --errors "$spec" "http://127.0.0.1:$mock_port" --port "$proxy_port" > prism.log 2>&1 &
prism=$!
trap 'kill "$mock" "$prism" 2>/dev/null || true' EXIT

for _ in $(seq 120); do
  grep -q 'listening on' mock.log && grep -q 'Prism is listening' prism.log && break
  sleep 0.5
done
grep -q 'Prism is listening' prism.log || { cat mock.log prism.log; exit 1; }

FOLD_SESSIONS_URL="http://127.0.0.1:$proxy_port" FOLD_API_KEY=ci_key "$@"
