"""The website widget end to end: real action and Rasa servers (socketio channel), the page
served by scripts/serve_web.py, and Debian's Chromium driven by Playwright.

Checks what a visitor sees: the greeting with its buttons, an answer to a typed question with
the disclaimer, a button's follow-up, the history after a reload; that no request leaves
loopback (no CDN, no font service); and axe-core's accessibility audit of the page.
(Storage, "Gesprek wissen", framing: tests/test_widget_privacy.py; harness: tests/browser.py.)
"""
from __future__ import annotations

import json
from typing import List
from urllib.parse import urlsplit

from tests import servers
from tests.browser import AXE, LOOPBACK, ROOT, SKIPS, TIMEOUT_MS, bot_text, wait_for_bot_text

RESULTS = ROOT / "results"
pytestmark = SKIPS


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
