"""The website widget's test harness: real action and Rasa servers (socketio channel), the
page served by scripts/serve_web.py, Debian's Chromium driven by Playwright.

Used by tests/test_widget.py and tests/test_widget_privacy.py through the `widget` and
`browser` fixtures of tests/conftest.py (one set of servers and one browser per test run).
"""
from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from tests import servers

ROOT = servers.ROOT
CHROMIUM = Path("/usr/bin/chromium")
WEBCHAT = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT_MS = 60_000

SKIPS = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium; "
                       "scripts/install_system_packages.sh does it as root)"),
    pytest.mark.skipif(not WEBCHAT.exists() or not AXE.exists(),
                       reason="web/node_modules missing (make install runs npm ci in web/)"),
    pytest.mark.skipif(not list(servers.MODELS.glob("*.tar.gz")),
                       reason="no trained model in models/ (run `make train`)"),
]


class Widget(NamedTuple):
    page_url: str
    socket_url: str
    log_dir: Path


def start_page_server(port: int, socket_url: str, log: Path, **env: str) -> subprocess.Popen:
    web = subprocess.Popen(
        [str(servers.VENV_BIN / "python"), "scripts/serve_web.py", "--port", str(port),
         "--socket-url", socket_url],
        cwd=ROOT, env=servers.server_env(**env), stdout=log.open("w"),
        stderr=subprocess.STDOUT, start_new_session=True,
    )
    servers.wait_for(f"http://127.0.0.1:{port}/", web, log, timeout=30)
    return web


@contextlib.contextmanager
def widget_servers(log_dir: Path) -> Iterator[Widget]:
    """Action server, Rasa server with credentials.yml (rest + socketio), page server.

    Yields the page URL and the socket URL. Rasa allows the page's origin (CORS) as
    scripts/run.sh does.
    """
    action_port, rasa_port, web_port = (servers.free_port() for _ in range(3))
    page_origin = f"http://127.0.0.1:{web_port}"
    actions = servers.start_action_server(action_port, log_dir)
    try:
        endpoints = servers.write_endpoints(log_dir / "endpoints.yml", action_port)
        rasa = servers.start_rasa_server(
            rasa_port, log_dir, endpoints, credentials=ROOT / "credentials.yml",
            extra_args=["--cors", page_origin], CORS_ORIGINS=page_origin,
        )
        try:
            socket_url = f"http://127.0.0.1:{rasa_port}"
            web = start_page_server(web_port, socket_url, log_dir / "web.log")
            try:
                yield Widget(f"{page_origin}/", socket_url, log_dir)
            finally:
                servers.stop(web)
        finally:
            servers.stop(rasa)
    finally:
        servers.stop(actions)


def bot_text(page) -> str:
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def wait_for_bot_text(page, words: str) -> None:
    page.wait_for_function(
        """words => Array.from(document.querySelectorAll('.rw-response'))
                     .some(el => el.innerText.includes(words))""",
        arg=words, timeout=TIMEOUT_MS,
    )
