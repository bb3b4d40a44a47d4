"""Shared fixtures: the real domain, trackers, and (for end-to-end tests) real servers."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    intent: str,
    text: str = "",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    **parse_extra: Any,
) -> Tracker:
    """A real rasa_sdk Tracker whose latest message has this intent, text and entities."""
    latest = {
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "text": text,
        **parse_extra,
    }
    return Tracker(
        sender_id="test",
        slots={"site": None, "topic": None, "awaiting": None, **(slots or {})},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture(scope="session")
def bot_port(tmp_path_factory) -> int:
    """A real action server + Rasa server (newest model in models/) on loopback."""
    if not list(servers.MODELS.glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    log_dir = tmp_path_factory.mktemp("servers")
    with servers.bot_servers(log_dir) as port:
        yield port


@pytest.fixture(scope="session")
def widget(tmp_path_factory):
    """The website widget's servers (tests/browser.py), shared by the widget tests."""
    from tests.browser import widget_servers

    with widget_servers(tmp_path_factory.mktemp("widget")) as running:
        yield running


@pytest.fixture(scope="session")
def page_url(widget) -> str:
    return widget.page_url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright; per module, because Playwright's synchronous
    API keeps an event loop running in this thread (asyncio.run fails while it is open)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


LAST = "test_no_test_message_in_any_log_of_this_run"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """The check of all logs of the run (tests/test_logs.py) comes after every other test."""
    items.sort(key=lambda item: item.name == LAST)
