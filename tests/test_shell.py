"""`rasa shell` driven as a person would (pexpect in a pseudo-terminal), with the real action
server running, as `make shell` (scripts/shell.sh) starts them.

Types a Dutch question, reads the answer, picks a button from the numbered list with the arrow
keys and Enter, and leaves with /stop. Nothing warns before "Bot loaded". And `make shell` in
tmux leaves no process behind when the tmux session is killed (the terminal hangs up).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import List

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
            servers.RASA[0],
            servers.RASA[1:] + ["shell", "--model", str(servers.newest_model()),
                                "--endpoints", str(endpoints), "--port", str(servers.free_port())],
            cwd=str(servers.ROOT), env=servers.server_env(), encoding="utf-8",
            # wide enough that prompt_toolkit never wraps a paragraph of the answers
            dimensions=(200, 1000), timeout=TIMEOUT_S,
        )
        child.logfile_read = (tmp_path / "shell-terminal.txt").open("w", encoding="utf-8")
        yield child
    finally:
        if child is not None and child.isalive():
            child.terminate(force=True)
        servers.stop(actions)


def test_a_conversation_in_the_terminal(shell):
    shell.expect_exact("use '/stop' to exit")
    start = ANSI.sub("", shell.before or "")
    assert "Bot loaded" in start
    assert "Warning" not in start and "deprecated" not in start.lower(), start
    shell.expect_exact("Your input ->")
    servers.note("Wat zijn de klachten bij uitzaaiingen in de lever?")
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


def processes_with(tag: str) -> List[str]:
    """Command lines of the live processes whose environment holds `tag`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if tag.encode() in (proc / "environ").read_bytes():
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError):
            continue
    return found


def test_make_shell_in_tmux_leaves_no_process_when_the_session_is_killed(tmp_path):
    """`make` leads the tmux session here, and make does not pass the hang-up on: rasa shell
    notices the terminal is gone (serving/cli.py), then scripts/shell.sh stops the actions."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    if not list(servers.MODELS.glob("*.tar.gz")):
        pytest.skip("no trained model in models/ (run `make train`)")
    tag = f"SHELL_TEST_TAG={uuid.uuid4().hex}"
    session = f"shell-test-{os.getpid()}"
    command = (f"env {tag} RASA_PORT={servers.free_port()} ACTION_PORT={servers.free_port()} "
               f"SQLITE_PATH={tmp_path / 'store' / 'conversations.db'} make shell")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "200", "-y", "50",
                    "-c", str(servers.ROOT), command], check=True)
    try:
        screen = ""
        deadline = time.monotonic() + TIMEOUT_S  # only a hang takes this long
        while "Your input ->" not in screen and time.monotonic() < deadline:
            time.sleep(0.5)
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session, "-S", "-200"],
                                    capture_output=True, text=True).stdout
        assert "Your input ->" in screen, screen
        before_bot = screen.split("Bot loaded")[0]
        assert "Warning" not in before_bot and "deprecated" not in before_bot.lower(), before_bot
        assert len(processes_with(tag)) >= 3  # make, shell.sh, action server, rasa shell
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    deadline = time.monotonic() + 60  # only a hang takes this long
    while processes_with(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(tag) == []
