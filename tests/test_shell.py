"""`rasa shell` driven as a person would (pexpect in a pseudo-terminal), with the real action
server running, as `make shell` (scripts/shell.sh) starts them.

Types a Dutch question, reads the answer, picks a button from the numbered list with the arrow
keys and Enter, and leaves with /stop.
"""
from __future__ import annotations

import re

import pytest

from actions import replies
from actions.content import content
from tests import servers

pexpect = pytest.importorskip("pexpect")

DOWN, ENTER = "\x1b[B", "\r"
FREE_TEXT = "Type out your own message..."
TIMEOUT_S = 180
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def choose(shell, buttons, title: str) -> None:
    """Select a button of the latest message: rasa shell lists the titles as '1: ...', ...;
    the free-text entry comes after them."""
    index = len(buttons) if title == FREE_TEXT else [b["title"] for b in buttons].index(title)
    shell.expect_exact(FREE_TEXT, timeout=TIMEOUT_S)
    shell.send(DOWN * index)
    shell.send(ENTER)


@pytest.fixture
def shell(tmp_path):
    if not list(servers.MODELS.glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`)")
    action_port = servers.free_port()
    actions = servers.start_action_server(action_port, tmp_path)
    endpoints = servers.write_endpoints(tmp_path / "endpoints.yml", action_port)
    child = None
    try:
        child = pexpect.spawn(
            str(servers.VENV_BIN / "rasa"),
            ["shell", "--model", str(servers.newest_model()), "--endpoints", str(endpoints),
             "--port", str(servers.free_port())],
            cwd=str(servers.ROOT), env=servers.server_env(), encoding="utf-8",
            # wide enough that prompt_toolkit never wraps a paragraph of the answers
            dimensions=(200, 1000), timeout=TIMEOUT_S,
        )
        child.logfile_read = (tmp_path / "shell.log").open("w", encoding="utf-8")
        yield child
    finally:
        if child is not None and child.isalive():
            child.terminate(force=True)
        servers.stop(actions)


def test_a_conversation_in_the_terminal(shell):
    shell.expect_exact("use '/stop' to exit")
    shell.expect_exact("Your input ->")
    shell.sendline("Wat zijn de klachten bij uitzaaiingen in de lever?")

    # the answer, its disclaimer, then the topic buttons as a numbered list
    shell.expect_exact("geelzucht")
    shell.expect_exact("huisarts")
    buttons = replies.topic_buttons(content(), "lever", skip=["symptomen"])
    number = [b["title"] for b in buttons].index("Behandeling") + 1
    shell.expect(rf"{number}: Behandeling \(/inform")
    choose(shell, buttons, "Behandeling")
    shell.expect_exact("10-30%")

    # leave: the free-text entry, then /stop
    buttons = replies.topic_buttons(content(), "lever", skip=["behandeling"])
    choose(shell, buttons, FREE_TEXT)
    shell.expect_exact("Your input ->")
    shell.sendline("/stop")
    shell.expect(pexpect.EOF, timeout=60)
    shell.close()
    assert shell.exitstatus == 0, ANSI.sub("", shell.before or "")
