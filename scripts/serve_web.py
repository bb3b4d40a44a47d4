"""Serve the website widget (web/) on loopback: the page, its script and style, and rasa-webchat.

Everything comes from this server, nothing from a CDN or a font service:
- `/`                       web/index.html
- `/style.css`, `/app.js`   web/style.css, web/app.js
- `/config.js`              generated: where the page finds Rasa's socket.io channel
- `/vendor/rasa-webchat.js` web/node_modules/rasa-webchat/lib/index.js, with its
                            `@import` of Google Fonts removed (the page uses system fonts)

Every response carries a Content-Security-Policy that allows only this server and the Rasa
socket, so the browser refuses any third-party request the widget might still try, and lets
only the origins in FRAME_ANCESTORS (serving/settings.py; none by default) show the page in
a frame. A visitor who leaves while a file is still being sent is no error.

    .venv/bin/python scripts/serve_web.py [--port 8080] [--socket-url http://127.0.0.1:5005]
Environment: WEB_HOST (127.0.0.1), WEB_PORT (8080), RASA_SOCKET_URL (http://127.0.0.1:5005),
FRAME_ANCESTORS (none).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Tuple
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from serving import settings  # noqa: E402 (the project's settings, stdlib only)

WEB = Path(__file__).resolve().parent.parent / "web"
WEBCHAT_BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
# rasa-webchat 1.0.1 puts this at the top of each of its style sheets
FONT_IMPORT = re.compile(r"@import url\(https://fonts\.googleapis\.com/[^)]*\);")

STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
}


def origins(socket_url: str) -> Tuple[str, str]:
    """The http(s) and ws(s) origins of the Rasa socket URL, for the page's CSP."""
    parts = urlsplit(socket_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"socket URL must be http(s)://host[:port], got {socket_url!r}")
    ws = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"


def frame_ancestors(allowed: Tuple[str, ...]) -> str:
    for origin in allowed:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ValueError(f"FRAME_ANCESTORS takes origins like https://example.nl, not {origin!r}")
    return " ".join(o.rstrip("/") for o in allowed) or "'none'"


def content_security_policy(socket_url: str, ancestors: Tuple[str, ...] = ()) -> str:
    http_origin, ws_origin = origins(socket_url)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        # the widget injects its style sheets and sets inline styles from React
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        f"connect-src 'self' {http_origin} {ws_origin}",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        f"frame-ancestors {frame_ancestors(ancestors)}",
    ])


@functools.lru_cache(maxsize=1)
def webchat_bundle() -> bytes:
    if not WEBCHAT_BUNDLE.exists():
        raise FileNotFoundError(
            f"{WEBCHAT_BUNDLE} is missing: run `make install` (npm ci in web/)"
        )
    source, count = FONT_IMPORT.subn("", WEBCHAT_BUNDLE.read_text(encoding="utf-8"))
    if count == 0 or "fonts.googleapis.com" in source:
        print("WARNING: rasa-webchat's font import was not removed as expected", file=sys.stderr)
    return source.encode("utf-8")


def make_handler(socket_url: str, ancestors: Tuple[str, ...] = ()):
    config = "window.CHATBOT_CONFIG = " + json.dumps({"socketUrl": socket_url}) + ";\n"
    headers: Dict[str, str] = {
        "Content-Security-Policy": content_security_policy(socket_url, ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }
    if not ancestors:  # browsers without CSP level 2 know only this (it cannot list origins)
        headers["X-Frame-Options"] = "DENY"

    class Handler(BaseHTTPRequestHandler):
        server_version = "uitzaaiingen-web"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.respond(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self.respond(send_body=False)

        def respond(self, send_body: bool) -> None:
            path = urlsplit(self.path).path
            try:
                if path in STATIC:
                    name, ctype = STATIC[path]
                    body = (WEB / name).read_bytes()
                elif path == "/config.js":
                    body, ctype = config.encode("utf-8"), "text/javascript; charset=utf-8"
                elif path == "/vendor/rasa-webchat.js":
                    body, ctype = webchat_bundle(), "text/javascript; charset=utf-8"
                else:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
            except FileNotFoundError as error:
                self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
                return
            try:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if send_body:
                    self.wfile.write(body)
            except ConnectionError:  # broken pipe, reset, aborted
                self.close_connection = True  # the visitor left (reload, closed tab): fine

        def log_message(self, format: str, *args) -> None:  # quiet unless asked
            if os.environ.get("WEB_LOG"):
                super().log_message(format, *args)

    return Handler


class WidgetServer(ThreadingHTTPServer):
    """Threads per request; on Ctrl-C (server_close) it waits for the ones still running."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a visitor who went away while sending or receiving: nothing to report
        super().handle_error(request, client_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument(
        "--socket-url", default=os.environ.get("RASA_SOCKET_URL", "http://127.0.0.1:5005"),
        help="the Rasa server's URL, where its socketio channel listens",
    )
    args = parser.parse_args()
    origins(args.socket_url)  # fail early on a malformed URL
    ancestors = settings.load().frame_ancestors
    frame_ancestors(ancestors)  # and on a malformed FRAME_ANCESTORS
    webchat_bundle()  # fail early when npm packages are missing
    server = WidgetServer((args.host, args.port), make_handler(args.socket_url, ancestors))
    print(f"Web widget:    http://{args.host}:{server.server_port}/  (socket: {args.socket_url})",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
