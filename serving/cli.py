"""Rasa's command line as this project runs it: `python -m serving.cli <rasa arguments>`,
e.g. `python -m serving.cli run --model models ...` or `python -m serving.cli run actions`.

scripts/run.sh, scripts/shell.sh, the Makefile and the tests start Rasa this way. Before Rasa
starts, this
- sets the umask to 077, so every file the servers create (the SQLite store, its journal, a
  `--log-file`, ...) is readable by the service user only; an existing `--log-file` is made
  0600 (serving/files.py);
- filters the third-party warnings listed in serving/warning_filters.py where they are
  raised (and again after Rasa and Sanic put their own warning filters in front of them);
- masks user text in every log line (serving/log_privacy.py);
- with `--enable-api`, reads the API token from RASA_API_TOKEN or RASA_API_TOKEN_FILE
  (serving/settings.py) and hands it to Rasa inside this process, so it never appears in the
  process list; it refuses to enable the API without one;
- ends the process when its terminal hangs up (window closed, `tmux kill-session`). The
  kernel tells only the terminal's session leader, and when that is `make` (as in
  `tmux new-session "make shell"`) nobody else hears of it: `rasa shell` would wait for ever
  on a terminal that is gone, and scripts/shell.sh with it.
"""
from __future__ import annotations

import os
import select
import signal
import sys
import threading
from pathlib import Path
from typing import List

QUIET_LIBRARIES = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's C++ start-up notices
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "FORCE_JSON_LOGGING": "1",  # structured log lines that serving/log_privacy.py can mask
}


def with_api_token(args: List[str]) -> List[str]:
    """Rasa's arguments with `--auth-token` added from the settings when the API is enabled."""
    if "--enable-api" not in args or any(a.startswith("--auth-token") for a in args):
        return args
    from serving import settings

    try:
        token = settings.load().api_token()
    except ValueError as error:
        sys.exit(f"Configuration error: {error}")
    if not token:
        sys.exit("Refusing to enable the HTTP API without RASA_API_TOKEN or RASA_API_TOKEN_FILE.")
    return args + ["--auth-token", token]


def private_log_file(args: List[str]) -> None:
    from serving.files import private_file, private_folder

    for i, arg in enumerate(args):
        path = args[i + 1] if arg == "--log-file" and i + 1 < len(args) else None
        if arg.startswith("--log-file="):
            path = arg.split("=", 1)[1]
        if path:
            private_folder(Path(path).resolve().parent)
            private_file(Path(path))


def exit_on_hangup() -> None:
    """When standard input is a terminal, end this process (SIGHUP) once that terminal is gone."""
    if not os.isatty(0):
        return
    signal.signal(signal.SIGHUP, signal.SIG_DFL)

    def watch() -> None:
        terminal = select.poll()
        terminal.register(0, 0)  # no events asked: poll returns on hang-up or error only
        while True:
            for _, event in terminal.poll():
                if event & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                    os.kill(os.getpid(), signal.SIGHUP)
                    return

    threading.Thread(target=watch, name="hang-up watch", daemon=True).start()


def main(args: List[str]) -> None:
    os.umask(0o077)
    exit_on_hangup()
    for name, value in QUIET_LIBRARIES.items():
        os.environ.setdefault(name, value)
    from serving import warning_filters

    warning_filters.install()
    import sanic.app  # noqa: F401 (its import puts a filter for every DeprecationWarning first)

    warning_filters.install()
    from serving import log_privacy

    log_privacy.install()
    import rasa.__main__ as rasa_main

    configure = rasa_main.configure_logging_and_warnings

    def configure_then_filter(*a, **kw) -> None:  # Rasa puts its warning filters first too
        configure(*a, **kw)
        warning_filters.install()

    rasa_main.configure_logging_and_warnings = configure_then_filter
    args = with_api_token(args)
    private_log_file(args)
    sys.argv = ["rasa"] + args
    rasa_main.main()


if __name__ == "__main__":
    main(sys.argv[1:])
