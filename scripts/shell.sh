#!/usr/bin/env bash
# `make shell`: the action server in the background, `rasa shell` in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTION_PORT=${ACTION_PORT:-5055}
# endpoints.yml names the action server on port 5055; another ACTION_PORT gets a copy.
endpoints=endpoints.yml
if [ "$ACTION_PORT" != 5055 ]; then
  mkdir -p .rasa
  endpoints=.rasa/endpoints-action-port-$ACTION_PORT.yml
  sed "s|127.0.0.1:5055/|127.0.0.1:$ACTION_PORT/|" endpoints.yml > "$endpoints"
fi
SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" \
  >/dev/null 2>&1 &
actions=$!
trap 'kill $actions 2>/dev/null; wait $actions 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$ACTION_PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
.venv/bin/rasa shell --model models --endpoints "$endpoints" --interface 127.0.0.1 "$@"
