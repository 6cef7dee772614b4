"""Run every benchmark in bench/ with its defaults, one table after another.

    python3 bench/run.py [check reload site sw print flyer diff checklist search review charts anchor]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALL = ["check", "reload", "site", "sw", "print", "flyer", "diff", "checklist", "search", "review", "charts", "anchor"]


def main() -> int:
    names = sys.argv[1:] or ALL
    failed = 0
    for name in names:
        print(f"\n== bench/{name}.py", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / f"{name}.py")]).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
