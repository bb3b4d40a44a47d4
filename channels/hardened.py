"""REST and socket.io channels that check their input before the bot sees it.

ValidatedRestInput (`channels.hardened.ValidatedRestInput` in a credentials file, served at
the usual /webhooks/rest/webhook): the body must be a JSON object with a non-empty string
`sender` (at most 255 characters, the tracker store's limit) and a string `message`;
`metadata`, when given, an object of at most MAX_METADATA_CHARS characters as JSON (else 413).
Anything else is answered 400 with a short reason, where Rasa's RestInput answers some of it
with 500.

OriginCheckedSocketIOInput (`channels.hardened.OriginCheckedSocketIOInput`, same settings as
`socketio`): socket.io requests, websocket upgrades included, from a browser origin outside
CORS_ORIGINS (serving/settings.py) are refused with 400. A `session_request` whose session id
is no text of 1 to 255 printable characters gets a new session id instead; messages that are
not an object with a string `message` and such a session id are ignored with a warning, never
reaching the bot; metadata over MAX_METADATA_CHARS is ignored. CORS headers stay with Rasa's
`--cors` (scripts/run.sh passes the same origins).

Both keep only the metadata keys the bot uses (METADATA_KEYS, none by default); the tracker
store redacts what is kept (serving/scrub.py). Warnings never quote what was sent.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request

from serving import settings
from serving.scrub import metadata_size

logger = logging.getLogger(__name__)
MAX_SENDER_CHARS = 255


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json  # invalid JSON: Sanic answers 400 itself
    if not isinstance(body, dict):
        raise InvalidUsage("The body must be a JSON object.")
    return body


def valid_sender(sender: Any) -> bool:
    """A conversation id the store can hold: 1 to 255 printable characters."""
    return (isinstance(sender, str) and 0 < len(sender) <= MAX_SENDER_CHARS
            and sender.isprintable() and bool(sender.strip()))


def allowed_metadata(metadata: Optional[Dict[Text, Any]], config: settings.Settings
                     ) -> Optional[Dict[Text, Any]]:
    """Only the metadata keys the bot uses (METADATA_KEYS); values are redacted on storage."""
    if metadata is None:
        return None
    return {key: value for key, value in metadata.items() if key in config.metadata_keys}


class ValidatedRestInput(RestInput):
    """Rasa's REST channel with its request body checked (400/413 instead of 500)."""

    def __init__(self) -> None:
        super().__init__()
        self.config = settings.load()

    @classmethod
    def name(cls) -> Text:
        return "rest"

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = _body(req).get("sender")
        if not valid_sender(sender):
            raise InvalidUsage(
                f"`sender` must be a text of 1 to {MAX_SENDER_CHARS} printable characters.")
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
        limit = self.config.max_metadata_chars
        if metadata is not None and metadata_size(metadata) > limit:
            raise PayloadTooLarge(f"`metadata` must be at most {limit} characters as JSON.")
        return allowed_metadata(metadata, self.config)


class OriginCheckedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, refusing foreign origins, malformed messages and session ids."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        config = settings.load()
        engine = self.sio.eio
        engine.cors_allowed_origins = list(config.cors_origins)
        engine._cors_headers = lambda environ: []  # headers come from `rasa run --cors`
        handlers = self.sio.handlers[self.namespace or "/"]
        handle_session_request = handlers["session_request"]
        handle_message = handlers[self.user_message_evt]

        async def checked_session_request(sid: Text, data: Any = None, *_: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if session_id is not None and not valid_sender(session_id):
                logger.warning("A socket.io session request from %s asked for an invalid "
                               "session id; it gets a new one.", sid)
                session_id = None
            await handle_session_request(sid, {"session_id": session_id or uuid.uuid4().hex})

        async def checked_message(sid: Text, data: Any = None, *_: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if (
                not isinstance(data, dict)
                or not isinstance(data.get("message"), str)
                or not (valid_sender(session_id) or (session_id is None
                                                     and not self.session_persistence))
                or not isinstance(data.get(self.metadata_key) or {}, dict)
            ):
                logger.warning("Ignored a malformed socket.io message from %s.", sid)
                return
            metadata = data.get(self.metadata_key)
            if metadata is not None and metadata_size(metadata) > config.max_metadata_chars:
                logger.warning("Ignored the oversized metadata of a socket.io message from %s.", sid)
                metadata = None
            data = dict(data)
            data[self.metadata_key] = allowed_metadata(metadata, config) or {}
            await handle_message(sid, data)

        handlers["session_request"] = checked_session_request
        handlers[self.user_message_evt] = checked_message
        return blueprint
