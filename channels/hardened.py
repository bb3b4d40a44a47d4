"""REST and socket.io channels that check their input before the bot sees it.

ValidatedRestInput (`channels.hardened.ValidatedRestInput` in a credentials file, served at
the usual /webhooks/rest/webhook): the body must be a JSON object with a non-empty string
`sender` (at most 255 characters, the tracker store's limit) and a string `message`;
`metadata`, when given, an object. Anything else is answered 400 with a short reason, where
Rasa's RestInput answers some of it with 500.

OriginCheckedSocketIOInput (`channels.hardened.OriginCheckedSocketIOInput`, same settings as
`socketio`): socket.io requests, websocket upgrades included, from a browser origin outside
CORS_ORIGINS (serving/settings.py) are refused with 400; messages that are not an object with
a string `message` are ignored with a warning, never reaching the bot. CORS headers stay with
Rasa's `--cors` (scripts/run.sh passes the same origins).
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from serving import settings

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 255


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json  # invalid JSON: Sanic answers 400 itself
    if not isinstance(body, dict):
        raise InvalidUsage("The body must be a JSON object.")
    return body


class ValidatedRestInput(RestInput):
    """Rasa's REST channel with its request body checked (400 instead of 500)."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = _body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise InvalidUsage(f"`sender` must be a text of 1 to {MAX_SENDER_CHARS} characters.")
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = _body(req).get("message")
        if not isinstance(message, str):
            raise InvalidUsage("`message` must be a text.")
        return message

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise InvalidUsage("`metadata` must be an object.")
        return metadata


class OriginCheckedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, refusing foreign browser origins and malformed messages."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        engine = self.sio.eio
        engine.cors_allowed_origins = list(settings.load().cors_origins)
        engine._cors_headers = lambda environ: []  # headers come from `rasa run --cors`
        handlers = self.sio.handlers[self.namespace or "/"]
        handle_message = handlers[self.user_message_evt]

        async def checked_message(sid: Text, data: Any = None, *_: Any) -> None:
            if (
                not isinstance(data, dict)
                or not isinstance(data.get("message"), str)
                or not isinstance(data.get("session_id", ""), (str, type(None)))
                or not isinstance(data.get(self.metadata_key) or {}, dict)
            ):
                logger.warning("Ignored a malformed socket.io message from %s.", sid)
                return
            await handle_message(sid, data)

        handlers[self.user_message_evt] = checked_message
        return blueprint
