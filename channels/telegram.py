"""Telegram connector: webhook with secret token, inline-keyboard buttons, configurable Bot API.

Referenced from channels/telegram.credentials.yml as `channels.telegram.TelegramInput`
(scripts/run.sh adds that file when TELEGRAM_TOKEN is set). Differences from Rasa's stock
connector (aiogram 2.15):

- every update must carry Telegram's `X-Telegram-Bot-Api-Secret-Token` header (set with
  setWebhook's `secret_token`); anything else gets 403 and never reaches the bot;
- the Bot API base URL is configurable (self-hosted Bot API servers, tests);
- button payloads become callback_data of at most 64 bytes: a longer payload is sent as a
  short id and looked up again when the button is pressed;
- a button press is answered (answerCallbackQuery, so the client stops its spinner) and
  continues the conversation with the button's payload;
- texts are sent as Telegram HTML with everything escaped (Markdown-style **bold** and
  [links](https://...) converted), so they never show raw markup characters;
- `/start` and `/help` (also `/start@<bot name>`) map to the bot's greeting and help.
"""
from __future__ import annotations

import asyncio
import collections
import hashlib
import hmac
import html
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
CALLBACK_DATA_MAX_BYTES = 64
SHORT_ID_PREFIX = "#"
MESSAGE_MAX_CHARS = 4000  # Telegram's limit is 4096 characters after parsing
COMMANDS = {"start": "/greet", "help": "/help", "restart": "/restart"}


class CallbackPayloads:
    """Button payload <-> callback_data (<= 64 bytes). Long payloads get a short id.

    The ids of the most recent long payloads are kept in memory; after a restart an unknown
    id falls back to the button's title (see TelegramInput.button_press).
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._long: "collections.OrderedDict[str, str]" = collections.OrderedDict()

    @staticmethod
    def fits(payload: Text) -> bool:
        return (
            len(payload.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES
            and not payload.startswith(SHORT_ID_PREFIX)
        )

    def encode(self, payload: Text) -> Text:
        if self.fits(payload):
            return payload
        short_id = SHORT_ID_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        self._long[short_id] = payload
        self._long.move_to_end(short_id)
        while len(self._long) > self.capacity:
            self._long.popitem(last=False)
        return short_id

    def decode(self, data: Text) -> Optional[Text]:
        if not data.startswith(SHORT_ID_PREFIX):
            return data
        return self._long.get(data)


def to_telegram_html(text: Text) -> Text:
    """Plain or Markdown-ish text as Telegram HTML: escaped, **bold** and [links](url) kept."""
    escaped = html.escape(text, quote=True)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    escaped = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"<i>\1</i>", escaped)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', escaped)


def split_text(text: Text, limit: int = MESSAGE_MAX_CHARS) -> List[Text]:
    """Split a long text at paragraph (else line) boundaries into parts of at most `limit`."""
    parts: List[Text] = []
    current = ""
    for paragraph in re.split(r"(\n\n|\n)", text):
        if len(current) + len(paragraph) > limit and current.strip():
            parts.append(current.strip())
            current = ""
        while len(paragraph) > limit:
            parts.append(paragraph[:limit])
            paragraph = paragraph[limit:]
        current += paragraph
    if current.strip() or not parts:
        parts.append(current.strip())
    return parts


class BotApi:
    """The few Bot API methods the connector uses, over aiohttp."""

    def __init__(self, token: Text, base_url: Text = DEFAULT_API_BASE_URL) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._session: Optional[aiohttp.ClientSession] = None

    async def call(self, method: Text, **params: Any) -> Optional[Dict[Text, Any]]:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        try:
            async with self._session.post(self._url + method, json=params) as reply:
                body = await reply.json(content_type=None)
        except (aiohttp.ClientError, ValueError, asyncio.TimeoutError) as error:
            logger.error(f"Telegram {method} failed: {error!r}")
            return None
        if not isinstance(body, dict) or not body.get("ok"):
            logger.error(f"Telegram {method} failed: {body}")
            return None
        return body

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class TelegramOutput(OutputChannel):
    """Sends the bot's messages to a Telegram chat."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, api: BotApi, payloads: CallbackPayloads) -> None:
        self.api = api
        self.payloads = payloads

    def inline_keyboard(self, buttons: List[Dict[Text, Any]]) -> Dict[Text, Any]:
        """One button per row (titles are whole phrases); URL buttons open the link."""
        rows = []
        for button in buttons:
            if button.get("url"):
                rows.append([{"text": button["title"], "url": button["url"]}])
            else:
                data = self.payloads.encode(str(button.get("payload") or button["title"]))
                rows.append([{"text": button["title"], "callback_data": data}])
        return {"inline_keyboard": rows}

    async def _send(self, chat_id: Text, text: Text, reply_markup: Optional[Dict] = None) -> None:
        parts = split_text(text)
        for index, part in enumerate(parts):
            params: Dict[Text, Any] = {
                "chat_id": chat_id,
                "text": to_telegram_html(part),
                "parse_mode": "HTML",
                "disable_web_page_preview": True,
            }
            if reply_markup and index == len(parts) - 1:
                params["reply_markup"] = reply_markup
            await self.api.call("sendMessage", **params)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send(recipient_id, text, self.inline_keyboard(buttons))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self.api.call("sendPhoto", chat_id=recipient_id, photo=image)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """A custom response is a Bot API call: {"method": "sendLocation", ...params}."""
        params = dict(json_message)
        method = params.pop("method", "sendMessage")
        params.setdefault("chat_id", recipient_id)
        await self.api.call(method, **params)


class TelegramInput(InputChannel):
    """Receives Telegram updates on /webhooks/telegram/webhook."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            access_token=credentials.get("access_token") or "",
            secret_token=credentials.get("secret_token") or "",
            bot_name=credentials.get("bot_name") or "",
            webhook_url=credentials.get("webhook_url") or "",
            api_base_url=credentials.get("api_base_url") or DEFAULT_API_BASE_URL,
        )

    def __init__(
        self,
        access_token: Text,
        secret_token: Text,
        bot_name: Text = "",
        webhook_url: Text = "",
        api_base_url: Text = DEFAULT_API_BASE_URL,
    ) -> None:
        if not access_token:
            raise ValueError("Telegram: access_token (TELEGRAM_TOKEN) is not set")
        if not SECRET_TOKEN_PATTERN.match(secret_token or ""):
            raise ValueError(
                "Telegram: secret_token (TELEGRAM_SECRET_TOKEN) must be set: 1-256 characters "
                "A-Z, a-z, 0-9, _ or -. Updates without it are refused."
            )
        self.secret_token = secret_token
        self.bot_name = bot_name.lstrip("@")
        self.webhook_url = webhook_url
        self.payloads = CallbackPayloads()
        self.api = BotApi(access_token, api_base_url)

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.api, self.payloads)

    def authentic(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode("utf-8"), self.secret_token.encode("utf-8"))

    def command(self, text: Text) -> Text:
        """`/start` or `/start@<bot name>` -> the bot's own intent; other text unchanged."""
        match = re.fullmatch(r"/([A-Za-z0-9_]+)(?:@(\w+))?", text.strip())
        if not match or match.group(1) not in COMMANDS:
            return text
        if match.group(2) and self.bot_name and match.group(2).lower() != self.bot_name.lower():
            return text
        return COMMANDS[match.group(1)]

    async def button_press(self, query: Dict[Text, Any]) -> Optional[Text]:
        """Answer the callback query; return the pressed button's payload (or its title)."""
        await self.api.call("answerCallbackQuery", callback_query_id=query.get("id"))
        data = str(query.get("data") or "")
        payload = self.payloads.decode(data)
        if payload is None:  # an id from before a restart: use the button's title as text
            rows = (query.get("message") or {}).get("reply_markup", {}).get("inline_keyboard", [])
            titles = [b.get("text") for row in rows for b in row if b.get("callback_data") == data]
            payload = titles[0] if titles else None
        return payload

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint("custom_telegram_webhook", __name__)
        output = self.get_output_channel()

        @webhook.listener("after_server_start")
        async def set_webhook(app: Any, loop: Any) -> None:
            if not self.webhook_url:
                return
            ok = await self.api.call(
                "setWebhook", url=self.webhook_url, secret_token=self.secret_token,
                allowed_updates=["message", "callback_query"],
            )
            logger.info(f"Telegram setWebhook {self.webhook_url}: {'ok' if ok else 'failed'}")

        @webhook.listener("before_server_stop")
        async def close_session(app: Any, loop: Any) -> None:
            await self.api.close()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authentic(request):
                logger.warning("Telegram update refused: wrong or missing secret token")
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = json.loads(request.body or b"{}")
            except ValueError:
                return response.json({"error": "invalid JSON"}, status=400)
            if not isinstance(update, dict):
                return response.json({"error": "invalid update"}, status=400)

            if "callback_query" in update:
                query = update["callback_query"] or {}
                chat = ((query.get("message") or {}).get("chat") or query.get("from") or {})
                text = await self.button_press(query)
            else:
                message = update.get("message") or {}
                chat = message.get("chat") or {}
                text = message.get("text")
                text = self.command(text) if text else None
            if not text or chat.get("id") is None:
                return response.json({"status": "ignored"})  # stickers, photos, edits, ...

            try:
                await on_new_message(
                    UserMessage(
                        text, output, str(chat["id"]), input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception:  # Telegram would resend the update forever: log, answer 200
                logger.exception("Telegram: could not handle the update")
            return response.json({"status": "ok"})

        return webhook
