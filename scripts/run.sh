#!/usr/bin/env bash
# Start the action server and the Rasa server together (`make run`). Ctrl-C stops both.
#   RASA_PORT (5005)  ACTION_PORT (5055)  RASA_HOST (127.0.0.1)  MODEL (newest in models/)
#   WEB_PORT (8080): the website widget's page (scripts/serve_web.py), if web/ is installed
#   TELEGRAM_TOKEN + TELEGRAM_SECRET_TOKEN (+ TELEGRAM_WEBHOOK_URL, TELEGRAM_BOT_NAME,
#     TELEGRAM_API_BASE_URL): also the Telegram channel (channels/telegram.credentials.yml)
#   RASA_ENABLE_API=1 with RASA_API_TOKEN or RASA_API_TOKEN_FILE: also the HTTP API (refused
#     without a token; serving/cli.py hands the token to Rasa, never on a command line)
#   ACTION_SERVER_SANIC_WORKERS (1): action server worker processes
#   Storage, locks, privacy and CORS settings: serving/settings.py (README "Privacy and production")
# Rasa runs through serving/cli.py: files it creates are private (umask 077), no third-party
# warning noise, no user text in logs; the Rasa server ends when the terminal hangs up, and
# then so does everything else.
set -euo pipefail
umask 077
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
rasa=(.venv/bin/python -m serving.cli)
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
RASA_HOST=${RASA_HOST:-127.0.0.1}
MODEL=${MODEL:-models}
WEB_PORT=${WEB_PORT:-8080}
RASA_SOCKET_URL=${RASA_SOCKET_URL:-http://${RASA_HOST/0.0.0.0/127.0.0.1}:$RASA_PORT}
export CORS_ORIGINS=${CORS_ORIGINS:-http://127.0.0.1:$WEB_PORT http://localhost:$WEB_PORT}

# Telegram only when configured: its credentials need its variables (README "Channels").
credentials=credentials.yml
if [ -n "${TELEGRAM_TOKEN:-}" ]; then
  : "${TELEGRAM_SECRET_TOKEN:?must be set with TELEGRAM_TOKEN (README: Channels)}"
  export TELEGRAM_WEBHOOK_URL=${TELEGRAM_WEBHOOK_URL:-} TELEGRAM_BOT_NAME=${TELEGRAM_BOT_NAME:-}
  export TELEGRAM_API_BASE_URL=${TELEGRAM_API_BASE_URL:-https://api.telegram.org}
  mkdir -p .rasa
  credentials=.rasa/credentials-with-telegram.yml  # placeholders only, no secrets
  cat credentials.yml channels/telegram.credentials.yml > "$credentials"
fi

# The HTTP API (/status, /conversations, /model) is only started behind a token.
api_args=()
if [ "${RASA_ENABLE_API:-0}" = 1 ]; then
  if ! .venv/bin/python -m serving.settings api-token-set; then
    echo "Refusing to enable the HTTP API without RASA_API_TOKEN or RASA_API_TOKEN_FILE (set one, or unset RASA_ENABLE_API)." >&2
    exit 2
  fi
  api_args=(--enable-api)  # serving/cli.py adds the token inside the Rasa process
fi
read -r -a cors_origins <<< "$(.venv/bin/python -m serving.settings cors)"

# endpoints.yml names the action server on port 5055; another ACTION_PORT gets a copy.
endpoints=endpoints.yml
if [ "$ACTION_PORT" != 5055 ]; then
  mkdir -p .rasa
  endpoints=.rasa/endpoints-action-port-$ACTION_PORT.yml
  sed "s|127.0.0.1:5055/|127.0.0.1:$ACTION_PORT/|" endpoints.yml > "$endpoints"
fi

pids=()
cleanup() {
  trap - INT TERM HUP EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM HUP EXIT

SANIC_HOST=${ACTION_HOST:-127.0.0.1} "${rasa[@]}" run actions --actions actions --port "$ACTION_PORT" \
  >/dev/null 2>&1 &
pids+=($!)
# <&0: the terminal, so that the Rasa server notices a hang-up (a background job would get /dev/null)
"${rasa[@]}" run --model "$MODEL" --interface "$RASA_HOST" --port "$RASA_PORT" \
  --credentials "$credentials" --endpoints "$endpoints" \
  --cors "${cors_origins[@]}" "${api_args[@]}" <&0 &
pids+=($!)
echo "Rasa server:   http://$RASA_HOST:$RASA_PORT  (REST: POST /webhooks/rest/webhook)"
echo "Action server: http://127.0.0.1:$ACTION_PORT (loopback only)"
if [ -f web/node_modules/rasa-webchat/lib/index.js ]; then
  .venv/bin/python scripts/serve_web.py --host 127.0.0.1 --port "$WEB_PORT" \
    --socket-url "$RASA_SOCKET_URL" >/dev/null &
  pids+=($!)
  echo "Web widget:    http://127.0.0.1:$WEB_PORT/  (socket.io on $RASA_SOCKET_URL)"
else
  echo "Web widget:    not served: web/node_modules missing (make install runs npm ci in web/)"
fi
[ "$credentials" = credentials.yml ] || echo "Telegram:      POST /webhooks/telegram/webhook on the Rasa port"
echo "Stop them all with Ctrl-C."
wait -n "${pids[@]}"
