"""The HTTP API needs the token, which never appears on a command line; CORS admits only the
widget's origins (REST and socket.io); run.sh refuses to enable the API without a token; the
action server listens on loopback."""
from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Optional, Tuple

import pytest

from serving import settings
from tests import services
from tests.servers import ROOT, chat, free_port, start_action_server, stop

EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def port(tmp_path_factory) -> int:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`; `make test` does)")
    return services.secured_server(tmp_path_factory.mktemp("secured"))


def request(port: int, path: str, method: str = "GET", headers: Optional[Dict[str, str]] = None,
            data: Optional[bytes] = None) -> Tuple[int, Dict[str, list]]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=15) as response:
            status, message = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, message = error.code, error.headers
    headers_out: Dict[str, list] = {}
    for key, value in message.items():
        headers_out.setdefault(key.lower(), []).append(value)
    return status, headers_out


@pytest.mark.parametrize("path", ["/status", "/conversations/someone/tracker", "/domain"])
def test_api_refuses_requests_without_the_token(port, path):
    assert request(port, path)[0] in (401, 403)
    assert request(port, f"{path}?token=wrong")[0] in (401, 403)


def test_api_accepts_the_token(port):
    assert request(port, f"/status?token={services.API_TOKEN}")[0] == 200


def test_api_token_is_on_no_command_line(port):
    """The secured server reads its token from RASA_API_TOKEN_FILE; `ps` must not show it."""
    for pid in services.secured_pids():
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        assert "--enable-api" in command_line or "actions" in command_line
        assert services.API_TOKEN not in command_line and "--auth-token" not in command_line
    run_script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    assert "--auth-token" not in run_script


def test_api_token_comes_from_the_environment_or_a_file(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("from-a-file\n", encoding="utf-8")
    assert settings.load({"RASA_API_TOKEN_FILE": str(token_file)}).api_token() == "from-a-file"
    assert settings.load({"RASA_API_TOKEN": "from-env"}).api_token() == "from-env"
    assert settings.load({}).api_token() is None
    token_file.write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match="holds no token"):
        settings.load({"RASA_API_TOKEN_FILE": str(token_file)}).api_token()


PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/socket.io/?EIO=4&transport=polling"])
def test_cors_preflight_admits_only_the_widget_origin(port, path):
    for origin in (services.WIDGET_ORIGIN, "http://localhost:8080"):
        status, headers = request(port, path, "OPTIONS", dict(PREFLIGHT, Origin=origin))
        assert status < 300 and headers.get("access-control-allow-origin") == [origin]
    status, headers = request(port, path, "OPTIONS", dict(PREFLIGHT, Origin=EVIL))
    assert "access-control-allow-origin" not in headers


def test_socketio_refuses_a_foreign_origin(port):
    path = "/socket.io/?EIO=4&transport=polling"
    status, headers = request(port, path, headers={"Origin": services.WIDGET_ORIGIN})
    assert status == 200 and headers["access-control-allow-origin"] == [services.WIDGET_ORIGIN]
    assert request(port, path, headers={"Origin": EVIL})[0] == 400
    upgrade = {"Origin": EVIL, "Connection": "Upgrade", "Upgrade": "websocket",
               "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    assert request(port, "/socket.io/?EIO=4&transport=websocket", headers=upgrade)[0] == 400


def test_rest_reply_carries_cors_header_only_for_the_widget(port):
    body = b'{"sender": "cors", "message": "Hallo"}'
    status, headers = request(port, "/webhooks/rest/webhook", "POST",
                              {"Origin": services.WIDGET_ORIGIN, "Content-Type": "application/json"}, body)
    assert status == 200 and headers["access-control-allow-origin"] == [services.WIDGET_ORIGIN]
    status, headers = request(port, "/webhooks/rest/webhook", "POST",
                              {"Origin": EVIL, "Content-Type": "application/json"}, body)
    assert "access-control-allow-origin" not in headers


def test_run_script_refuses_the_api_without_a_token():
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASA_API_TOKEN")}
    done = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, capture_output=True, text=True,
                          timeout=30, env=dict(env, RASA_ENABLE_API="1", RASA_PORT=str(free_port())))
    assert done.returncode == 2 and "RASA_API_TOKEN" in done.stderr


def test_action_server_listens_on_loopback_only(tmp_path):
    assert 'SANIC_HOST=${ACTION_HOST:-127.0.0.1}' in (ROOT / "scripts" / "run.sh").read_text()
    port = free_port()
    proc = start_action_server(port, tmp_path)
    try:
        listening = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in open(table).read().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.split(":")[1], 16) == port:
                    listening.add(local.split(":")[0])
        assert listening == {"0100007F"}, listening
    finally:
        stop(proc)


def test_info_logs_contain_no_message_text(port):
    marker = f"Zeldzaamwoord{os.getpid()}"
    chat(port, "log-check", f"Mijn buurman {marker} vraagt: wat zijn metastasen?")
    chat(port, "log-check", f"en de behandeling {marker}?")
    for log in services.secured_logs():
        assert marker not in log.read_text(errors="replace"), f"{log.name} logs message text"
