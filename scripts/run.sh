#!/usr/bin/env bash
# Start the action server and the Rasa server together (`make run`). Ctrl-C stops both.
#   RASA_PORT (5005)  ACTION_PORT (5055)  RASA_HOST (127.0.0.1)  MODEL (newest in models/)
#   WEB_PORT (8080): the website widget's page (scripts/serve_web.py), if web/ is installed
#   TELEGRAM_TOKEN + TELEGRAM_SECRET_TOKEN (+ TELEGRAM_WEBHOOK_URL, TELEGRAM_BOT_NAME,
#     TELEGRAM_API_BASE_URL): also the Telegram channel (channels/telegram.credentials.yml)
#   RASA_ENABLE_API=1 with RASA_API_TOKEN: also the HTTP API (refused without a token)
#   ACTION_SERVER_SANIC_WORKERS (1): action server worker processes
#   Storage, locks, privacy and CORS settings: serving/settings.py (README "Privacy and production")
set -euo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1
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
  if [ -z "${RASA_API_TOKEN:-}" ]; then
    echo "Refusing to enable the HTTP API without RASA_API_TOKEN (set it, or unset RASA_ENABLE_API)." >&2
    exit 2
  fi
  api_args=(--enable-api --auth-token "$RASA_API_TOKEN")
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
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

SANIC_HOST=${ACTION_HOST:-127.0.0.1} .venv/bin/rasa run actions --actions actions --port "$ACTION_PORT" \
  >/dev/null 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --interface "$RASA_HOST" --port "$RASA_PORT" \
  --credentials "$credentials" --endpoints "$endpoints" \
  --cors "${cors_origins[@]}" "${api_args[@]}" &
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
