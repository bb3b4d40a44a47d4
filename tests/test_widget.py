"""The website widget end to end: real action and Rasa servers (socketio channel), the page
served by scripts/serve_web.py, and Debian's Chromium driven by Playwright.

Checks what a visitor sees: the greeting with its buttons, an answer to a typed question with
the disclaimer, a button's follow-up, the history after a reload; that no request leaves
loopback (no CDN, no font service); axe-core's accessibility audit of the page; that the chat
lives in sessionStorage only (gone when the browser session ends) and "Gesprek wissen" clears
it; that only FRAME_ANCESTORS may frame the page; that an aborted download is no error.
"""
from __future__ import annotations

import contextlib
import http.server
import json
import signal
import socket
import struct
import subprocess
import threading
from pathlib import Path
from typing import Iterator, List, NamedTuple
from urllib.parse import urlsplit

import pytest

from tests import servers

ROOT = servers.ROOT
CHROMIUM = Path("/usr/bin/chromium")
WEBCHAT = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "results"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
TIMEOUT_MS = 60_000

pytestmark = [
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


@pytest.fixture(scope="module")
def widget(tmp_path_factory) -> Iterator[Widget]:
    with widget_servers(tmp_path_factory.mktemp("widget")) as running:
        yield running


@pytest.fixture(scope="module")
def page_url(widget) -> str:
    return widget.page_url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def bot_text(page) -> str:
    return "\n".join(page.locator(".rw-response").all_inner_texts())


def wait_for_bot_text(page, words: str) -> None:
    page.wait_for_function(
        """words => Array.from(document.querySelectorAll('.rw-response'))
                     .some(el => el.innerText.includes(words))""",
        arg=words, timeout=TIMEOUT_MS,
    )


def test_conversation_in_the_browser(browser, page_url):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="nl-NL")
    requested: List[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requested.append(ws.url))
    try:
        page.goto(page_url)
        # the page itself: Dutch, with the notice that this is no doctor
        assert page.get_attribute("html", "lang") == "nl"
        notice = page.inner_text("#notice")
        assert "geen arts" in notice and "112" in notice

        # the widget opens with the greeting (initPayload /greet) and its buttons
        wait_for_bot_text(page, "Hallo")
        assert page.locator(".rw-reply", has_text="Klachten").count() >= 1

        # a typed question
        box = page.get_by_role("textbox", name="Uw vraag")
        servers.note("Wat zijn de klachten bij uitzaaiingen in de lever?")
        box.fill("Wat zijn de klachten bij uitzaaiingen in de lever?")
        box.press("Enter")
        wait_for_bot_text(page, "geelzucht")
        wait_for_bot_text(page, "huisarts")
        text = bot_text(page)
        assert "chatbot" in text and "huisarts" in text, text

        # a button of the answer, chosen with the keyboard: liver treatment
        button = page.get_by_role("button", name="Behandeling").last
        button.focus()
        page.keyboard.press("Enter")
        wait_for_bot_text(page, "10-30%")
        assert "Behandeling" in page.locator(".rw-client").last.inner_text()
        page.wait_for_function(  # the answer's last bubble: disclaimer with the next buttons
            """() => Array.from(document.querySelectorAll('.rw-response'))
                     .filter(el => el.innerText.includes('ik ben een chatbot')).length >= 2
                  && document.querySelectorAll('.rw-reply').length > 0""",
            timeout=TIMEOUT_MS,
        )

        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / "widget.png"), full_page=True)

        # the conversation survives a reload (session storage + session_persistence), and is
        # kept in sessionStorage only: the browser removes it when its session ends
        page.reload()
        wait_for_bot_text(page, "10-30%")
        assert "geelzucht" in bot_text(page)
        assert page.locator(".rw-client", has_text="lever").count() >= 1
        assert page.evaluate("() => sessionStorage.getItem('chat_session')")
        assert page.evaluate("() => localStorage.length") == 0

        # accessibility: no serious or critical violations
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {
                   runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                   'best-practice']},
                   resultTypes: ['violations']})"""
        )
        (RESULTS / "widget-axe.json").write_text(
            json.dumps(result["violations"], indent=1, ensure_ascii=False), encoding="utf-8")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert len(result["passes"]) > 10, "axe-core did not audit the page"
        assert not serious, "\n".join(serious)
    finally:
        context.close()

    # nothing left loopback: no CDN, no font service, no analytics
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts and hosts <= LOOPBACK, sorted(set(requested))
    assert any("/socket.io/" in url for url in requested)


def test_page_serves_no_third_party_font(page_url):
    import urllib.request

    with urllib.request.urlopen(page_url + "vendor/rasa-webchat.js", timeout=10) as response:
        bundle = response.read().decode("utf-8")
        policy = response.headers["Content-Security-Policy"]
    assert "fonts.googleapis.com" not in bundle
    assert "default-src 'self'" in policy and "googleapis" not in policy
    with urllib.request.urlopen(page_url, timeout=10) as response:
        html = response.read().decode("utf-8")
    assert html.lower().startswith("<!doctype html>")
    assert '<html lang="nl">' in html and '<meta charset="utf-8">' in html
    assert 'name="viewport"' in html
    assert "https://" not in html and "http://" not in html


def test_chat_ends_with_the_browser_session_and_can_be_cleared(browser, page_url):
    """A browser that restores its saved state (cookies, localStorage) shows no old chat;
    "Gesprek wissen" clears the chat at once and starts a new conversation."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(page_url)
        wait_for_bot_text(page, "Hallo")
        question = "Wat zijn metastasen?"
        servers.note(question)
        box = page.get_by_role("textbox", name="Uw vraag")
        box.fill(question)
        box.press("Enter")
        wait_for_bot_text(page, "kankercellen")
        first_session = json.loads(page.evaluate("() => sessionStorage.getItem('chat_session')"))
        saved = context.storage_state()  # what a browser keeps when it is closed

        # "Gesprek wissen": a visible button; afterwards only a new greeting
        clear = page.get_by_role("button", name="Gesprek wissen")
        assert clear.is_visible()
        clear.click()
        page.wait_for_load_state()
        wait_for_bot_text(page, "Hallo")
        assert "kankercellen" not in bot_text(page)
        assert page.locator(".rw-client").count() == 0
        new_session = json.loads(page.evaluate("() => sessionStorage.getItem('chat_session')"))
        assert new_session["session_id"] != first_session["session_id"]
    finally:
        context.close()

    # the browser session ended; a new one with everything the browser saved: no old chat
    restored = browser.new_context(locale="nl-NL", storage_state=saved)
    page = restored.new_page()
    try:
        page.goto(page_url)
        wait_for_bot_text(page, "Hallo")
        assert "kankercellen" not in bot_text(page)
        assert page.locator(".rw-client").count() == 0
    finally:
        restored.close()


class FramingPage(http.server.ThreadingHTTPServer):
    """A page on another loopback origin that shows `target` (the widget page) in an iframe."""

    def __init__(self) -> None:
        outer = self
        self.target = "about:blank"

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                html = ('<!doctype html><html lang="en"><meta charset="utf-8"><title>frame</title>'
                        f'<iframe id="widget" src="{outer.target}" width="800" height="600">'
                        '</iframe>').encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server_port}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


def framed_page(browser, framing: FramingPage, target: str) -> str:
    """The heading of `target` shown in an iframe on the framing page; '' when refused."""
    framing.target = target
    page = browser.new_page()
    try:
        page.goto(framing.origin + "/")  # waits for the iframe's load event too
        frame = page.frame_locator("#widget")
        inner = next(f for f in page.frames if f is not page.main_frame)
        if not inner.url.startswith(target):
            return ""  # Chromium shows its error page instead
        return frame.locator("h1").inner_text(timeout=TIMEOUT_MS)
    finally:
        page.close()


def test_only_configured_origins_may_frame_the_page(browser, widget):
    import urllib.request

    with urllib.request.urlopen(widget.page_url, timeout=10) as response:
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
    framing = FramingPage()
    try:
        assert framed_page(browser, framing, widget.page_url) == ""  # refused by default

        port = servers.free_port()
        allowed = start_page_server(port, widget.socket_url, widget.log_dir / "web-framed.log",
                                    FRAME_ANCESTORS=framing.origin)
        try:
            target = f"http://127.0.0.1:{port}/"
            with urllib.request.urlopen(target, timeout=10) as response:
                policy = response.headers["Content-Security-Policy"]
                assert f"frame-ancestors {framing.origin};" in policy + ";"
                assert response.headers["X-Frame-Options"] is None
            assert framed_page(browser, framing, target) == "Vragen over uitzaaiingen"
            other = FramingPage()  # an origin that is not configured
            try:
                assert framed_page(browser, other, target) == ""
            finally:
                other.shutdown()
        finally:
            servers.stop(allowed)
    finally:
        framing.shutdown()


def test_an_aborted_download_is_no_error(widget, tmp_path):
    """A visitor who leaves while a file is sent: no traceback in the page server's log."""
    port = servers.free_port()
    log = tmp_path / "web-aborted.log"
    web = start_page_server(port, widget.socket_url, log)
    try:
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
                conn.sendall(b"GET /vendor/rasa-webchat.js HTTP/1.0\r\n\r\n")
                conn.recv(1)  # the answer has started
                # close with a reset, as a browser does when the visitor leaves
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        web.send_signal(signal.SIGINT)  # Ctrl-C: the server waits for its request threads
        web.wait(timeout=30)
    assert web.returncode == 0
    assert "Traceback" not in log.read_text() and "Error" not in log.read_text()
