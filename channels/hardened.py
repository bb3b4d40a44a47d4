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

Both apply the abuse limits (serving/limits.py) to a well-formed message before the bot sees
it: REST answers a refused message with HTTP 429 (Retry-After, and the friendly Dutch text as
its reply); socket.io sends that text to the widget instead of an answer. The client address
is the connection's, or the one CLIENT_ADDRESS_HEADER names (behind a reverse proxy); it is
kept in memory for the limits only, never stored or logged.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from serving import limits, settings
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

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        config, limited = self.config, limits.shared(self.config)

        @blueprint.middleware("request")
        async def within_limits(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            body = request.json
            sender = body.get("sender") if isinstance(body, dict) else None
            if not valid_sender(sender):
                return None  # the handler answers 400
            address = limits.client_address(request.headers, request.ip,
                                            config.client_address_header)
            refusal = limited.admit(sender, address)
            if refusal is None:
                return None
            return response.json([{"recipient_id": sender, "text": refusal.text}], status=429,
                                 headers={"Retry-After": str(refusal.retry_after_s)})

        return blueprint

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
        limited = limits.shared(config)
        addresses: Dict[Text, Optional[Text]] = {}  # socket id: client address, while connected
        engine = self.sio.eio
        engine.cors_allowed_origins = list(config.cors_origins)
        engine._cors_headers = lambda environ: []  # headers come from `rasa run --cors`
        handlers = self.sio.handlers[self.namespace or "/"]
        handle_connect, handle_disconnect = handlers["connect"], handlers["disconnect"]
        handle_session_request = handlers["session_request"]
        handle_message = handlers[self.user_message_evt]

        async def connect_with_address(sid: Text, environ: Dict, auth: Any = None) -> Any:
            request = environ.get("sanic.request")  # engineio's REMOTE_ADDR is always 127.0.0.1
            addresses[sid] = None if request is None else limits.client_address(
                request.headers, request.ip, config.client_address_header)
            return await handle_connect(sid, environ, auth)

        async def disconnect_and_forget(sid: Text, *args: Any) -> Any:
            addresses.pop(sid, None)
            return await handle_disconnect(sid, *args)

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
            refusal = limited.admit(session_id if self.session_persistence else sid,
                                    addresses.get(sid))
            if refusal is not None:
                await self.sio.emit(self.bot_message_evt, {"text": refusal.text}, room=sid)
                return
            data = dict(data)
            data[self.metadata_key] = allowed_metadata(metadata, config) or {}
            await handle_message(sid, data)

        handlers["connect"] = connect_with_address
        handlers["disconnect"] = disconnect_and_forget
        handlers["session_request"] = checked_session_request
        handlers[self.user_message_evt] = checked_message
        return blueprint
