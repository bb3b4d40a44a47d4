#!/usr/bin/env bash
# One-command set-up, called by `make install`. Safe to re-run: every step is skipped
# when its inputs have not changed.
#   1. system packages for the browser and database tests (only as root with apt-get;
#      SKIP_SYSTEM_PACKAGES=1 skips them)
#   2. Python 3.10 venv in .venv with the pinned dependency set (requirements/lock.txt)
#   3. the Dutch spaCy pipeline (nl_core_news_sm, or the named offline stand-in)
#   4. the web widget's npm packages from web/package-lock.json (if node/npm are present)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "System packages"
bash scripts/install_system_packages.sh

step "Python 3.10"
PYTHON=$(bash scripts/find_python.sh)
echo "using $PYTHON ($("$PYTHON" --version 2>&1))"

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi

step "Python packages (requirements/lock.txt)"
stamp=.venv/.lock.sha256
want=$(cat requirements/lock.txt scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "up to date"
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==24.0"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
  echo "$want" > "$stamp"
fi

step "Dutch spaCy pipeline"
.venv/bin/python scripts/install_spacy_pipeline.py
# the language-identification table built from pyspellchecker's word lists (build/)
.venv/bin/python -c "import sys; sys.path.insert(0, '.'); from components.language import frequency_table; frequency_table()"

step "Web widget (npm)"
if [ -f web/package-lock.json ]; then
  if command -v npm >/dev/null; then
    if [ web/node_modules/.package-lock.json -nt web/package-lock.json ]; then
      echo "up to date"
    else
      (cd web && npm ci --no-audit --no-fund --loglevel=error)
    fi
  else
    echo "WARNING: npm not found; the web widget will not be served (install Node.js 18+)." >&2
  fi
else
  echo "no web/package-lock.json; nothing to do"
fi

step "Done. Next: make test   (or: make shell to chat)"
