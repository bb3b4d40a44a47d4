"""The website widget end to end: real action and Rasa servers (socketio channel), the page
served by scripts/serve_web.py, and Debian's Chromium driven by Playwright.

Checks what a visitor sees: the greeting with its buttons, an answer to a typed question with
the disclaimer, a button's follow-up, the history after a reload; that no request leaves
loopback (no CDN, no font service); and axe-core's accessibility audit of the page.
"""
from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path
from typing import Iterator, List
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


@contextlib.contextmanager
def widget_servers(log_dir: Path) -> Iterator[str]:
    """Action server, Rasa server with credentials.yml (rest + socketio), page server.

    Yields the page URL. Rasa allows the page's origin (CORS) as scripts/run.sh does.
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
            log = log_dir / "web.log"
            web = subprocess.Popen(
                [str(servers.VENV_BIN / "python"), "scripts/serve_web.py", "--port", str(web_port),
                 "--socket-url", f"http://127.0.0.1:{rasa_port}"],
                cwd=ROOT, env=servers.server_env(), stdout=log.open("w"),
                stderr=subprocess.STDOUT, start_new_session=True,
            )
            try:
                servers.wait_for(f"{page_origin}/", web, log, timeout=30)
                yield f"{page_origin}/"
            finally:
                servers.stop(web)
        finally:
            servers.stop(rasa)
    finally:
        servers.stop(actions)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory) -> Iterator[str]:
    with widget_servers(tmp_path_factory.mktemp("widget")) as url:
        yield url


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

        # the conversation survives a reload (local storage + session_persistence)
        page.reload()
        wait_for_bot_text(page, "10-30%")
        assert "geelzucht" in bot_text(page)
        assert page.locator(".rw-client", has_text="lever").count() >= 1

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
