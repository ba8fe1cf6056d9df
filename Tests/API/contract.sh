#!/usr/bin/env bash
# The API contract against the running daemon: schemathesis (pinned, .venv-api) generates requests from
# openapi.json, with a bounded number of examples, and checks every answer: no 500, every status, header and body
# in the document, 401 without the key, 405 for methods the document does not list.
# Usage: Tests/API/contract.sh [QARI] [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/../.."
QARI=${1:-.build/debug/qari}
EXAMPLES=${2:-40}
if [ ! -x .venv-api/bin/schemathesis ] || ! cmp -s Tests/API/requirements.txt .venv-api/.requirements; then
  python3 -m venv .venv-api
  .venv-api/bin/pip install --quiet --disable-pip-version-check -r Tests/API/requirements.txt
  cp Tests/API/requirements.txt .venv-api/.requirements
fi
KEY=contract-test-key-$RANDOM$RANDOM$RANDOM
PORT=$((20000 + RANDOM % 20000))
CACHE=$(mktemp -d)
LOG=$(mktemp)
# Limits high enough for a generator that posts hundreds of pages a minute (the limits have their own tests).
QARI_LIMITS_READINGS_PER_MINUTE=100000 QARI_LIMITS_READINGS_BURST=100000 QARI_LIMITS_REQUESTS_PER_MINUTE=1000000 \
  QARI_LIMITS_REQUESTS_BURST=100000 QARI_API_KEYS=$KEY "$QARI" serve --port "$PORT" --cache-directory "$CACHE" --log-level warning 2>"$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$CACHE" "$LOG"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done
# positive_data_acceptance is left out: a request can fit the schema and still be refused for what it says
# (SSML that does not parse, a page with nothing to read), which no JSON schema can state.
.venv-api/bin/schemathesis run "http://127.0.0.1:$PORT/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  -H "Authorization: Bearer $KEY" --max-examples "$EXAMPLES" --workers 1 --request-timeout 60 \
  --generation-deterministic --no-color
# The catalogue of bad requests, each with its precise status and problem (also part of bench/chaos).
python3 bench/chaos_catalogue.py "http://127.0.0.1:$PORT" "$KEY"
if grep -qE "internal error|unhandled error" "$LOG"; then echo "contract: the daemon logged an internal error"; cat "$LOG"; exit 1; fi
echo "contract: the daemon kept to openapi.json"
