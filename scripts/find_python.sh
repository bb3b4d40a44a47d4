#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter: $PYTHON if set, python3.10 on PATH,
# or the newest 3.10.x under pyenv's versions folder. Rasa 3.6 does not run on 3.11+.
set -euo pipefail
is310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

if [ -n "${PYTHON:-}" ]; then
  is310 "$PYTHON" && { echo "$PYTHON"; exit 0; }
  echo "error: PYTHON=$PYTHON is not Python 3.10" >&2; exit 1
fi
for candidate in python3.10 python3 python; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  is310 "$path" && { echo "$path"; exit 0; }
done
pyenv_root=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
for path in $(ls -d "$pyenv_root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
  is310 "$path" && { echo "$path"; exit 0; }
done
cat >&2 <<'MSG'
error: Python 3.10 not found. Rasa 3.6 needs Python 3.10 (3.11 and newer do not work).
Install it, for example with `pyenv install 3.10.13` or your system's python3.10 package,
or point to it with PYTHON=/path/to/python3.10 make install.
MSG
exit 1
