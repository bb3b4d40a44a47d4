#!/usr/bin/env bash
# `make shell`: the action server in the background, `rasa shell` in the foreground, both
# through serving/cli.py (private files, no third-party warning noise, no user text in logs).
# Closing the terminal (or `tmux kill-session`) ends both: `rasa shell` ends itself when its
# terminal hangs up (serving/cli.py), and this script then stops the action server.
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
ACTION_PORT=${ACTION_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}  # the local server inside `rasa shell`
rasa=(.venv/bin/python -m serving.cli)
# endpoints.yml names the action server on port 5055; another ACTION_PORT gets a copy.
endpoints=endpoints.yml
if [ "$ACTION_PORT" != 5055 ]; then
  mkdir -p .rasa
  endpoints=.rasa/endpoints-action-port-$ACTION_PORT.yml
  sed "s|127.0.0.1:5055/|127.0.0.1:$ACTION_PORT/|" endpoints.yml > "$endpoints"
fi
SANIC_HOST=127.0.0.1 "${rasa[@]}" run actions --actions actions --port "$ACTION_PORT" \
  >/dev/null 2>&1 &
actions=$!
stop_actions() {
  trap - EXIT INT TERM HUP
  kill "$actions" 2>/dev/null || true
  wait "$actions" 2>/dev/null || true
}
trap stop_actions EXIT
trap 'stop_actions; exit 129' HUP
trap 'stop_actions; exit 130' INT
trap 'stop_actions; exit 143' TERM
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$ACTION_PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
"${rasa[@]}" shell --model models --endpoints "$endpoints" --interface 127.0.0.1 \
  --port "$RASA_PORT" "$@"
