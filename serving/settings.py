"""Every production setting, read from the environment in this one place.

Storage (tracker store)
  TRACKER_DB_URL     full SQLAlchemy URL, e.g. postgresql://bot:secret@db:5432/rasa
  DB_HOST            PostgreSQL host; with DB_PORT (5432), DB_NAME (rasa), DB_USER (rasa),
                     DB_PASSWORD (empty). Used when TRACKER_DB_URL is not set.
  SQLITE_PATH        the embedded default when neither is set (data-store/conversations.db)
  SESSION_MAX_EVENTS a conversation's Rasa session rolls over into a new session (slots
                     carried over) once it holds this many events, so that no turn reads and
                     walks more than that (100; serving/sessions.py)
Lock store
  REDIS_HOST         Redis host; with REDIS_PORT (6379), REDIS_DB (1), REDIS_PASSWORD (empty).
                     Unset: in-memory locks (fine for one Rasa process, not for several).
Privacy
  RETENTION_DAYS     conversations older than this are deleted by `make purge` (30)
  REDACT_NAMES       `off` (default): pattern-based redaction only; `deduce`: also redact
                     person names, places and institutions with deduce (costs ~1 GB of
                     memory and ~1 minute of CPU per server start; see the README)
  MAX_MESSAGE_CHARS  longer messages are not analysed and not stored in full (1000)
  METADATA_KEYS      space- or comma-separated keys of message metadata that are kept (and
                     redacted); every other key is dropped on arrival and before storage.
                     Default: none (the bot uses no metadata).
  MAX_METADATA_CHARS metadata larger than this (as JSON) is refused: 413 on REST, ignored on
                     socket.io (2000)
Abuse limits (REST and the widget's socket.io; 0 turns a limit off; serving/limits.py)
  LIMIT_MESSAGES_PER_MINUTE       per conversation (30)
  LIMIT_MESSAGES_PER_SESSION      per conversation, until it has been quiet for
                                  LIMIT_IDLE_MINUTES (300)
  LIMIT_CONVERSATIONS_PER_ADDRESS conversations open at once from one client address (an
                                  IPv6 address counts by its /64 network) (50)
  LIMIT_IDLE_MINUTES              a conversation quiet this long is closed for the limits (60)
  CLIENT_ADDRESS_HEADER           behind a reverse proxy: the header in which it passes the
                                  client's address (X-Forwarded-For: its last entry;
                                  X-Real-IP). Unset: the connection's own address.
Web
  CORS_ORIGINS       space- or comma-separated origins allowed to call the server from a
                     browser (http://127.0.0.1:8080 http://localhost:8080)
  FRAME_ANCESTORS    space- or comma-separated origins that may show the widget page in a
                     frame (Content-Security-Policy frame-ancestors). Default: none.
HTTP API
  RASA_API_TOKEN     the token the HTTP API requires (RASA_ENABLE_API=1), or
  RASA_API_TOKEN_FILE a file holding it (first line). Never passed on a command line.

`python -m serving.settings cors` prints the CORS origins for scripts/run.sh;
`python -m serving.settings api-token-set` exits 0 when an API token is configured.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data-store" / "conversations.db"
DEFAULT_CORS_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")


@dataclass(frozen=True)
class Settings:
    tracker_db_url: str
    redis_host: Optional[str]
    redis_port: int
    redis_db: int
    redis_password: Optional[str]
    retention_days: int
    redact_names: bool
    max_message_chars: int
    metadata_keys: Tuple[str, ...]
    max_metadata_chars: int
    cors_origins: Tuple[str, ...]
    frame_ancestors: Tuple[str, ...]
    api_token_env: Optional[str]
    api_token_file: Optional[str]
    session_max_events: int
    limit_messages_per_minute: int
    limit_messages_per_session: int
    limit_conversations_per_address: int
    limit_idle_minutes: int
    client_address_header: Optional[str]

    @property
    def uses_sqlite(self) -> bool:
        return self.tracker_db_url.startswith("sqlite")

    def api_token(self) -> Optional[str]:
        """RASA_API_TOKEN, or the first line of RASA_API_TOKEN_FILE (read when asked, so that
        a missing file matters only when the API is enabled)."""
        if self.api_token_env:
            return self.api_token_env
        if not self.api_token_file:
            return None
        try:
            lines = Path(self.api_token_file).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise ValueError(f"RASA_API_TOKEN_FILE cannot be read: {error}") from None
        token = lines[0].strip() if lines else ""
        if not token:
            raise ValueError(f"RASA_API_TOKEN_FILE {self.api_token_file} holds no token")
        return token


def _int(env: Mapping[str, str], name: str, default: int, minimum: Optional[int] = None) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _tracker_db_url(env: Mapping[str, str]) -> str:
    if env.get("TRACKER_DB_URL"):
        return env["TRACKER_DB_URL"]
    if env.get("DB_HOST"):
        user = quote(env.get("DB_USER", "rasa"), safe="")
        password = env.get("DB_PASSWORD", "")
        auth = f"{user}:{quote(password, safe='')}" if password else user
        port = _int(env, "DB_PORT", 5432)
        name = env.get("DB_NAME", "rasa")
        return f"postgresql://{auth}@{env['DB_HOST']}:{port}/{name}"
    path = Path(env.get("SQLITE_PATH") or DEFAULT_SQLITE_PATH).resolve()
    return f"sqlite:///{path}"


def _words(env: Mapping[str, str], name: str) -> Tuple[str, ...]:
    return tuple(word for word in re.split(r"[\s,]+", env.get(name, "")) if word)


def load(env: Optional[Mapping[str, str]] = None) -> Settings:
    env = os.environ if env is None else env
    origins = _words(env, "CORS_ORIGINS")
    redact = env.get("REDACT_NAMES", "off").strip().lower()
    if redact not in ("deduce", "off"):
        raise ValueError(f"REDACT_NAMES must be 'deduce' or 'off', not {redact!r}")
    return Settings(
        tracker_db_url=_tracker_db_url(env),
        redis_host=env.get("REDIS_HOST") or None,
        redis_port=_int(env, "REDIS_PORT", 6379),
        redis_db=_int(env, "REDIS_DB", 1),
        redis_password=env.get("REDIS_PASSWORD") or None,
        retention_days=_int(env, "RETENTION_DAYS", 30),
        redact_names=redact == "deduce",
        max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 1000),
        metadata_keys=_words(env, "METADATA_KEYS"),
        max_metadata_chars=_int(env, "MAX_METADATA_CHARS", 2000),
        cors_origins=origins or DEFAULT_CORS_ORIGINS,
        frame_ancestors=_words(env, "FRAME_ANCESTORS"),
        api_token_env=env.get("RASA_API_TOKEN") or None,
        api_token_file=env.get("RASA_API_TOKEN_FILE") or None,
        session_max_events=_int(env, "SESSION_MAX_EVENTS", 100, minimum=20),
        limit_messages_per_minute=_int(env, "LIMIT_MESSAGES_PER_MINUTE", 30, minimum=0),
        limit_messages_per_session=_int(env, "LIMIT_MESSAGES_PER_SESSION", 300, minimum=0),
        limit_conversations_per_address=_int(env, "LIMIT_CONVERSATIONS_PER_ADDRESS", 50,
                                             minimum=0),
        limit_idle_minutes=_int(env, "LIMIT_IDLE_MINUTES", 60, minimum=1),
        client_address_header=env.get("CLIENT_ADDRESS_HEADER", "").strip() or None,
    )


if __name__ == "__main__":
    try:
        settings = load()
        if sys.argv[1:] == ["cors"]:
            print(" ".join(settings.cors_origins))
        elif sys.argv[1:] == ["api-token-set"]:
            sys.exit(0 if settings.api_token() else 1)
        else:
            sys.exit("usage: python -m serving.settings cors|api-token-set")
    except ValueError as error:
        sys.exit(f"configuration error: {error}")
