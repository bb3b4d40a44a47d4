#!/usr/bin/env bash
# Start the action server and the Rasa server together (`make run`). Ctrl-C stops both.
#   RASA_PORT (5005)  ACTION_PORT (5055)  RASA_HOST (127.0.0.1)  MODEL (newest in models/)
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
RASA_HOST=${RASA_HOST:-127.0.0.1}
MODEL=${MODEL:-models}

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

SANIC_HOST=${ACTION_HOST:-127.0.0.1} .venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" \
  >/dev/null 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --interface "$RASA_HOST" --port "$RASA_PORT" \
  --credentials credentials.yml --endpoints endpoints.yml &
pids+=($!)
echo "Rasa server:   http://$RASA_HOST:$RASA_PORT  (REST: POST /webhooks/rest/webhook)"
echo "Action server: http://127.0.0.1:$ACTION_PORT (loopback only)"
echo "Stop both with Ctrl-C."
wait -n "${pids[@]}"
