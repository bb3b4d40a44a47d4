"""The Telegram channel (channels/telegram.py) end to end, against a fake Bot API on loopback.

The real action and Rasa servers run with credentials.yml plus channels/telegram.credentials.yml
(as scripts/run.sh combines them), configured through the environment and pointed at a fake
Bot API server that records every call. Nothing reaches Telegram.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import threading
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import pytest
import yaml
from aiohttp import web

from actions import replies
from actions.content import GENERAL, SITES, TOPICS, content
from channels.telegram import (
    CALLBACK_DATA_MAX_BYTES,
    CallbackPayloads,
    TelegramOutput,
    to_telegram_html,
)
from tests import servers

ROOT = servers.ROOT
TOKEN = "123456:TEST-token_for-the-fake-api"
SECRET = "test-secret_0123456789"
CHAT_ID = 4242


class FakeBotApi:
    """A Bot API server on loopback that records every call and answers `ok`."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.port = servers.free_port()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    async def _handle(self, request: web.Request) -> web.Response:
        params = await request.json() if request.can_read_body else {}
        self.calls.append({"token": request.match_info["token"],
                           "method": request.match_info["method"], "params": params})
        result: Any = True
        if request.match_info["method"] == "sendMessage":
            result = {"message_id": len(self.calls), "chat": {"id": params.get("chat_id")},
                      "text": params.get("text")}
        return web.json_response({"ok": True, "result": result})

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> "FakeBotApi":
        self._thread.start()
        assert self._ready.wait(10), "fake Bot API did not start"
        return self

    def __exit__(self, *exc: Any) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def methods(self, since: int = 0) -> List[str]:
        return [c["method"] for c in self.calls[since:]]

    def sent_texts(self, since: int = 0) -> str:
        return "\n".join(c["params"]["text"] for c in self.calls[since:]
                         if c["method"] == "sendMessage")


@pytest.fixture(scope="module")
def telegram(tmp_path_factory) -> Iterator[Dict[str, Any]]:
    if not list(servers.MODELS.glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`)")
    log_dir = tmp_path_factory.mktemp("telegram")
    credentials = log_dir / "credentials.yml"  # as scripts/run.sh builds it
    credentials.write_text(
        (ROOT / "credentials.yml").read_text(encoding="utf-8") + "\n"
        + (ROOT / "channels" / "telegram.credentials.yml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with FakeBotApi() as api:
        action_port, rasa_port = servers.free_port(), servers.free_port()
        actions = servers.start_action_server(action_port, log_dir)
        try:
            endpoints = servers.write_endpoints(log_dir / "endpoints.yml", action_port)
            rasa = servers.start_rasa_server(
                rasa_port, log_dir, endpoints, credentials=credentials,
                TELEGRAM_TOKEN=TOKEN, TELEGRAM_SECRET_TOKEN=SECRET, TELEGRAM_BOT_NAME="UitzaaiingenBot",
                TELEGRAM_WEBHOOK_URL="https://bot.example.invalid/webhooks/telegram/webhook",
                TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{api.port}",
            )
            try:
                yield {"api": api, "url": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook"}
            finally:
                servers.stop(rasa)
        finally:
            servers.stop(actions)


_update_ids = itertools.count(1000)


def post_update(url: str, update: Dict[str, Any], secret: Optional[str] = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode("utf-8"), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def text_update(text: str) -> Dict[str, Any]:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Test", "language_code": "nl"}
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids), "date": 1700000000, "text": text, "from": user,
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "Test"},
        },
    }


def button_update(data: str, keyboard: Dict[str, Any]) -> Dict[str, Any]:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Test"}
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": "cbq-1", "from": user, "chat_instance": "1", "data": data,
            "message": {"message_id": 7, "date": 1700000000, "text": "...", "from": user,
                        "chat": {"id": CHAT_ID, "type": "private"}, "reply_markup": keyboard},
        },
    }


def last_keyboard(api: FakeBotApi, since: int) -> Dict[str, Any]:
    marked = [c["params"]["reply_markup"] for c in api.calls[since:]
              if c["method"] == "sendMessage" and "reply_markup" in c["params"]]
    assert marked, f"no inline keyboard sent: {api.calls[since:]}"
    return marked[-1]


def test_webhook_is_registered_with_the_secret(telegram):
    calls = [c for c in telegram["api"].calls if c["method"] == "setWebhook"]
    assert calls and calls[0]["token"] == TOKEN
    assert calls[0]["params"]["secret_token"] == SECRET
    assert calls[0]["params"]["url"].endswith("/webhooks/telegram/webhook")


def test_question_button_press_and_forged_updates(telegram):
    api, url = telegram["api"], telegram["url"]

    # a question: the Dutch answer, as HTML without raw markup, with an inline keyboard
    start = len(api.calls)
    assert post_update(url, text_update("Wat zijn de klachten bij uitzaaiingen in de lever?")) == 200
    sent = [c["params"] for c in api.calls[start:] if c["method"] == "sendMessage"]
    assert sent and all(p["chat_id"] == str(CHAT_ID) and p["parse_mode"] == "HTML" for p in sent)
    text = api.sent_texts(start)
    assert "geelzucht" in text and "chatbot" in text and "huisarts" in text, text
    assert "**" not in text
    keyboard = last_keyboard(api, start)
    buttons = {b["text"]: b["callback_data"] for row in keyboard["inline_keyboard"] for b in row}
    assert "Behandeling" in buttons, buttons

    # pressing "Behandeling" is answered and continues the conversation (liver treatment)
    start = len(api.calls)
    assert post_update(url, button_update(buttons["Behandeling"], keyboard)) == 200
    assert api.methods(start)[0] == "answerCallbackQuery"
    assert api.calls[start]["params"]["callback_query_id"] == "cbq-1"
    assert "10-30%" in api.sent_texts(start)

    # forged updates: wrong or missing secret -> 403, and the bot says nothing
    start = len(api.calls)
    forged = text_update("Wat zijn uitzaaiingen?")
    assert post_update(url, forged, secret="wrong-secret") == 403
    assert post_update(url, forged, secret=None) == 403
    assert post_update(url, button_update(buttons["Behandeling"], keyboard), secret="") == 403
    assert api.calls[start:] == []


def test_start_command_greets_with_buttons(telegram):
    api, url = telegram["api"], telegram["url"]
    start = len(api.calls)
    assert post_update(url, text_update("/start@UitzaaiingenBot")) == 200
    assert "Hallo" in api.sent_texts(start)
    assert last_keyboard(api, start)["inline_keyboard"]


# ---- every button the bot can send fits in Telegram's callback_data ----

def all_buttons() -> List[Dict[str, Any]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    buttons = [
        button
        for variants in domain.get("responses", {}).values()
        for variant in variants
        for button in variant.get("buttons", [])
    ]
    c = content()
    for site in SITES:
        for n in range(len(TOPICS) + 1):
            for skip in itertools.combinations(TOPICS, n):
                buttons += replies.topic_buttons(c, site, skip=skip)
    for topic in (None,) + TOPICS:
        buttons += replies.site_buttons(c, topic)
    messages = []
    for site in SITES + (GENERAL,):
        for n in range(1, len(TOPICS) + 1):
            for topics in itertools.combinations(TOPICS, n):
                messages += replies.site_topic_answer(c, site, topics)
    ids = list(c.complaints)
    messages += replies.orientation(c, ids)
    for n in (1, 2):
        for chosen in itertools.combinations(ids, n):
            messages += replies.orientation(c, list(chosen))
    for kind in c.personal:
        for site in SITES + (GENERAL, None):
            messages += replies.personal_answer(c, kind, site)
    for message in messages:
        buttons += message.get("buttons", [])
    return buttons


def test_every_button_fits_telegram_callback_data():
    buttons = all_buttons()
    assert len(buttons) > 50
    payloads = CallbackPayloads()
    keyboard = TelegramOutput(api=None, payloads=payloads).inline_keyboard(buttons)
    too_long = []
    for button, row in zip(buttons, keyboard["inline_keyboard"]):
        data = row[0]["callback_data"]
        size = len(data.encode("utf-8"))
        if size > CALLBACK_DATA_MAX_BYTES:
            too_long.append((button["payload"], size))
        assert payloads.decode(data) == button["payload"]
    assert not too_long, too_long
    # today every payload fits as it is, so button presses survive a restart of the bot
    unmapped = [b["payload"] for b in buttons if not CallbackPayloads.fits(b["payload"])]
    assert not unmapped, unmapped


def test_long_payloads_get_a_short_id():
    payloads = CallbackPayloads(capacity=2)
    long = '/inform{"site":"lymfeklieren","topic":"levensverwachting","extra":"ééééé"}'
    data = payloads.encode(long)
    assert len(data.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES and data != long
    assert payloads.decode(data) == long
    assert payloads.encode("/greet") == "/greet"
    payloads.encode(long + "1")
    payloads.encode(long + "2")
    assert payloads.decode(data) is None  # forgotten: the connector falls back to the title


def test_text_is_escaped_html():
    assert to_telegram_html("a < b & **c** en *d* [site](https://x.nl/?a=1&b=2)") == (
        'a &lt; b &amp; <b>c</b> en <i>d</i> <a href="https://x.nl/?a=1&amp;b=2">site</a>'
    )
    assert to_telegram_html("10-30% • geelzucht (gele ogen)") == "10-30% • geelzucht (gele ogen)"
    assert to_telegram_html("2 * 3 * 4") == "2 * 3 * 4"
