"""The website widget and privacy, in Chromium: the chat lives in sessionStorage only (a
browser that restores its saved state shows none of it) and "Gesprek wissen" clears it at
once; only the origins in FRAME_ANCESTORS may show the page in a frame; a visitor who leaves
during a download is no error in the page server's log. Harness: tests/browser.py.
"""
from __future__ import annotations

import http.server
import json
import signal
import socket
import struct
import threading

from tests import servers
from tests.browser import SKIPS, TIMEOUT_MS, bot_text, start_page_server, wait_for_bot_text

pytestmark = SKIPS


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
