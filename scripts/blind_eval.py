"""`make evaluate`: score the blind corpora (tests/blind/) through the running bot.

Starts the project's real action server and Rasa server on loopback (the shipped endpoints:
SQLite tracker store with redaction, in a temporary folder; the HTTP API on, behind a random
token, to read what each reply was tagged with), sends every conversation turn by turn over
REST, and judges each reply with tests/blind/scoring.py. Writes results/blind.md and
results/blind.json and prints the summary.

    .venv/bin/python scripts/blind_eval.py                 # dev and final
    .venv/bin/python scripts/blind_eval.py --part dev      # dev only (with the list of misses)
    .venv/bin/python scripts/blind_eval.py --url http://127.0.0.1:5005 --token T   # a running bot
    .venv/bin/python scripts/blind_eval.py --part final --writers w8,w9,w10   # one batch

The final part is reported only as figures: its misses are never printed or written.
"""
from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import blind_report  # noqa: E402
from tests import servers  # noqa: E402
from tests.blind import corpus, scoring  # noqa: E402

Result = Dict[str, object]


class Bot:
    """A bot reachable over REST, with the HTTP API for the tracker."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token

    def _call(self, path: str, body=None) -> object:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode("utf-8"))

    def say(self, sender: str, text: str) -> List[Dict[str, object]]:
        """Send one turn; return the bot's messages with their tags, from the tracker."""
        self._call("/webhooks/rest/webhook", {"sender": sender, "message": text})
        # ALL: after a restart ("opnieuw beginnen") the default view starts after the user's turn
        query = urllib.parse.urlencode({"token": self.token, "include_events": "ALL"})
        tracker = self._call(f"/conversations/{urllib.parse.quote(sender)}/tracker?{query}")
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        parse = events[last_user].get("parse_data") or {}
        reply = [{"text": "", "buttons": [], "tags": [], "intent": (parse.get("intent") or {}),
                  "alarm": parse.get("alarm")}]
        for event in events[last_user + 1:]:
            if event["event"] != "bot":
                continue
            metadata = event.get("metadata") or {}
            tags = list(metadata.get("tags") or [])
            if metadata.get("utter_action"):
                tags.append(f"utter:{metadata['utter_action']}")
            reply.append({"text": event.get("text") or "",
                          "buttons": (event.get("data") or {}).get("buttons") or [],
                          "tags": tags})
        return reply


def start_bot(stack: ExitStack, model: Path = None) -> Bot:
    work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="blind-eval-")))
    token = secrets.token_hex(16)
    action_port, port = servers.free_port(), servers.free_port()
    actions = servers.start_action_server(action_port, work)
    stack.callback(servers.stop, actions)
    endpoints = servers.write_endpoints(
        work / "endpoints.yml", action_port,
        "tracker_store:\n  type: serving.tracker_store.PrivateSQLTrackerStore\n"
        "lock_store:\n  type: serving.lock_store.ConfiguredLockStore\n")
    rasa = servers.start_rasa_server(
        port, work, endpoints, model=model, extra_args=["--enable-api", "--auth-token", token],
        SQLITE_PATH=str(work / "conversations.db"))
    stack.callback(servers.stop, rasa)
    return Bot(f"http://127.0.0.1:{port}", token)


def run_conversation(bot: Bot, conversation: corpus.Conversation) -> List[Result]:
    sender = f"blind-{conversation.id}-{uuid.uuid4().hex[:8]}"
    results = []
    for turn in conversation.turns:
        parsed, *reply = bot.say(sender, turn.text)
        problems = scoring.judge(turn, reply)
        results.append({
            "id": conversation.id, "part": conversation.part, "corpus": conversation.corpus,
            "turn": turn.index, "kind": turn.kind, "expect": turn.expect, "text": turn.text,
            "persona": conversation.persona, "right": not problems, "problems": problems,
            "tags": scoring.tags_of(reply), "reply": scoring.text_of(reply),
            "intent": parsed["intent"].get("name"),
            "confidence": round(parsed["intent"].get("confidence") or 0, 3),
            "alarm": parsed["alarm"],
        })
    return results


def evaluate(bot: Bot, parts: List[str], workers: int,
             writers: Optional[List[str]] = None) -> Tuple[List[Result], float]:
    conversations = [c for part in parts for c in corpus.load(part)
                     if not writers or c.writer in writers]
    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        results = [r for rs in pool.map(lambda c: run_conversation(bot, c), conversations)
                   for r in rs]
    return results, time.monotonic() - started


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["dev", "final", "all"], default="all")
    parser.add_argument("--url", help="a running bot (with --token for its HTTP API)")
    parser.add_argument("--token", help="the running bot's API token")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--writers", help="only these writers' files, e.g. w8,w9,w10 (a batch)")
    parser.add_argument("--model", type=Path, help="a model archive (default: the newest in models/)")
    parser.add_argument("--out", type=Path, default=ROOT / "results")
    args = parser.parse_args(argv)
    parts = list(corpus.PARTS) if args.part == "all" else [args.part]
    with ExitStack() as stack:
        bot = Bot(args.url, args.token or "") if args.url else start_bot(stack, args.model)
        writers = args.writers.split(",") if args.writers else None
        results, seconds = evaluate(bot, parts, args.workers, writers)
    args.out.mkdir(parents=True, exist_ok=True)
    report = blind_report.render(results, parts, seconds)
    (args.out / "blind.md").write_text(report, encoding="utf-8")
    public = [r for r in results if r["part"] == "dev"] + [
        {k: r[k] for k in ("id", "part", "corpus", "turn", "kind", "right")}
        for r in results if r["part"] == "final"]
    (args.out / "blind.json").write_text(json.dumps(public, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    print(blind_report.summary(results, parts))
    print(f"written: {args.out / 'blind.md'}, {args.out / 'blind.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
