"""Delete stored conversations older than RETENTION_DAYS (default 30) from the tracker store
configured by the environment (see serving/settings.py). `make purge` runs this.

  python scripts/purge.py [--days N] [--dry-run]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from serving import settings as settings_module  # noqa: E402
from serving.retention import purge  # noqa: E402


def main() -> int:
    settings = settings_module.load()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=settings.retention_days,
                        help=f"keep this many days (RETENTION_DAYS, now {settings.retention_days})")
    parser.add_argument("--dry-run", action="store_true", help="count, do not delete")
    args = parser.parse_args()
    result = purge(settings.tracker_db_url, args.days, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    cutoff = time.strftime("%Y-%m-%d %H:%M", time.localtime(result.cutoff))
    print(f"{verb} {result.events} events of {result.conversations} conversations "
          f"older than {args.days} days (before {cutoff})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
