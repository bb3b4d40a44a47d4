#!/usr/bin/env bash
# Debian packages the end-to-end tests use as real parts: Chromium (widget browser test),
# PostgreSQL and Redis (scale-out tests; the tests start throwaway servers themselves).
# Installed only when running as root with apt-get; otherwise the list is printed.
set -euo pipefail
PACKAGES=(chromium postgresql redis-server tmux)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then echo "up to date"; exit 0; fi
if [ "${SKIP_SYSTEM_PACKAGES:-0}" = 1 ]; then
  echo "skipped (SKIP_SYSTEM_PACKAGES=1); missing: ${missing[*]}"; exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed: ${missing[*]}"
else
  echo "WARNING: not installing ${missing[*]} (needs root and apt-get)." >&2
  echo "         The browser and database tests will be skipped without them." >&2
fi
