"""Abuse limits that cost nothing for patients: checked in the channels (channels/hardened.py)
before a message reaches the bot, in this process's memory, in constant time per message.

- LIMIT_MESSAGES_PER_MINUTE: messages of one conversation in the last 60 seconds (30);
- LIMIT_MESSAGES_PER_SESSION: messages of one conversation until it has been quiet for
  LIMIT_IDLE_MINUTES (300 in 60 minutes);
- LIMIT_CONVERSATIONS_PER_ADDRESS: conversations open at once from one client address (50):
  a conversation is open from its first message until it has been quiet for
  LIMIT_IDLE_MINUTES; an IPv6 address counts by its /64 network (what one subscriber gets).
  Conversations already open go on; only new ones are refused.
A refused message is not answered by the bot: REST answers HTTP 429 with Retry-After and, as
its reply, a friendly Dutch text (content/limits.yml, with 112 for emergencies); the widget
(socket.io) shows that text. Refused messages do not count, but they keep a conversation
open. Settings: serving/settings.py (0 turns a limit off).

The counts are per Rasa process: with several processes behind a proxy that spreads the
messages of one conversation, a conversation can send up to that many times the limit.
At most MAX_CONVERSATIONS conversations are remembered (the least recently active are
forgotten first), so memory stays bounded whatever the traffic.
"""
from __future__ import annotations

import collections
import dataclasses
import ipaddress
import math
import time
from pathlib import Path
from typing import Callable, Deque, Dict, Mapping, Optional, Set, Text

import yaml

from serving import settings as settings_module

TEXTS = Path(__file__).resolve().parent.parent / "content" / "limits.yml"
MINUTE_S = 60.0
MAX_CONVERSATIONS = 100_000


@dataclasses.dataclass(frozen=True)
class Refusal:
    reason: Text  # "minute", "session" or "address": the key of its text in content/limits.yml
    text: Text
    retry_after_s: int


@dataclasses.dataclass
class _Conversation:
    address: Optional[Text]
    last: float
    messages: int = 0
    recent: Deque[float] = dataclasses.field(default_factory=collections.deque)


def address_key(address: Optional[Text]) -> Optional[Text]:
    """The address a client is counted by: IPv4 as it is, IPv6 by its /64 network."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def client_address(headers: Mapping[Text, Text], peer: Optional[Text],
                   header: Optional[Text]) -> Optional[Text]:
    """The client's address: the connection's, or the one a trusted reverse proxy passes in
    `header` (the last entry of X-Forwarded-For: the one that proxy added)."""
    if header:
        value = headers.get(header) or headers.get(header.lower())
        if value:
            return value.split(",")[-1].strip()
    return peer


class Limits:
    """The three limits over all conversations of this process."""

    def __init__(self, per_minute: int, per_session: int, per_address: int, idle_s: float,
                 texts: Mapping[Text, Text], clock: Callable[[], float] = time.monotonic,
                 max_conversations: int = MAX_CONVERSATIONS) -> None:
        self.per_minute, self.per_session, self.per_address = per_minute, per_session, per_address
        self.idle_s = idle_s
        self.texts = dict(texts)
        self.clock = clock
        self.max_conversations = max_conversations
        # least recently active first
        self._conversations: "collections.OrderedDict[Text, _Conversation]" = (
            collections.OrderedDict())
        self._by_address: Dict[Text, Set[Text]] = {}

    @property
    def open_conversations(self) -> int:
        return len(self._conversations)

    def _forget(self, conversation_id: Text) -> None:
        conversation = self._conversations.pop(conversation_id)
        if conversation.address is not None:
            ids = self._by_address[conversation.address]
            ids.discard(conversation_id)
            if not ids:
                del self._by_address[conversation.address]

    def _close_quiet(self, now: float) -> None:
        while self._conversations:
            oldest_id, oldest = next(iter(self._conversations.items()))
            if now - oldest.last < self.idle_s:
                return
            self._forget(oldest_id)

    def _refuse(self, reason: Text, retry_after_s: float) -> Refusal:
        return Refusal(reason, self.texts[reason], max(1, math.ceil(retry_after_s)))

    def admit(self, conversation_id: Text, address: Optional[Text]) -> Optional[Refusal]:
        """None when the message may go to the bot; otherwise why not, and what to say."""
        now = self.clock()
        self._close_quiet(now)
        address = address_key(address)
        conversation = self._conversations.get(conversation_id)
        if conversation is None:
            if (self.per_address and address is not None
                    and len(self._by_address.get(address, ())) >= self.per_address):
                return self._refuse("address", MINUTE_S)
            conversation = _Conversation(address, now)
            self._conversations[conversation_id] = conversation
            if address is not None:
                self._by_address.setdefault(address, set()).add(conversation_id)
            while len(self._conversations) > self.max_conversations:
                self._forget(next(iter(self._conversations)))  # the least recently active
        conversation.last = now
        self._conversations.move_to_end(conversation_id)
        recent = conversation.recent
        while recent and now - recent[0] >= MINUTE_S:
            recent.popleft()
        if self.per_minute and len(recent) >= self.per_minute:
            return self._refuse("minute", MINUTE_S - (now - recent[0]))
        if self.per_session and conversation.messages >= self.per_session:
            return self._refuse("session", self.idle_s)
        conversation.messages += 1
        if self.per_minute:
            recent.append(now)
        return None


def load_texts(path: Path = TEXTS) -> Dict[Text, Text]:
    texts = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {reason: " ".join(texts[reason].split()) for reason in ("minute", "session", "address")}


def from_settings(config: settings_module.Settings) -> Limits:
    return Limits(config.limit_messages_per_minute, config.limit_messages_per_session,
                  config.limit_conversations_per_address, config.limit_idle_minutes * 60.0,
                  load_texts())


_shared: Dict[Text, Limits] = {}


def shared(config: Optional[settings_module.Settings] = None) -> Limits:
    """The limits of this process, shared by its channels (REST and socket.io)."""
    if "limits" not in _shared:
        _shared["limits"] = from_settings(config or settings_module.load())
    return _shared["limits"]
