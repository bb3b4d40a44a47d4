"""Files and folders with personal data are readable by the service user only (0600/0700),
whatever the umask: the SQLite store and its folder (serving/tracker_store.py), and any log
file Rasa writes (`--log-file`, serving/cli.py)."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700


def private_folder(folder: Path, own: bool = False) -> None:
    """Create `folder` and any missing parent 0700. An existing folder keeps its mode unless
    `own` (it belongs to the project, like data-store/); a warning says when others can read it."""
    missing = []
    path = folder
    while not path.exists():
        missing.append(path)
        path = path.parent
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
        os.chmod(path, PRIVATE_FOLDER)  # mkdir's mode is reduced by the umask, not raised
    if own and not missing:
        os.chmod(folder, PRIVATE_FOLDER)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        logger.warning("Folder %s can be read by other users (mode %o); the files in it are "
                       "created 0600.", folder, stat.S_IMODE(folder.stat().st_mode))


def private_file(path: Path) -> None:
    """Create `path` empty if it is missing, and make it 0600 either way."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)
