#!/usr/bin/env python3
"""Fail when an environment variable read by anlan/settings.py is not documented.

Every variable must appear in `.env.example` (as `NAME=` or `# NAME=`) and in the configuration table of
`docs/operations.md` (as `` `NAME` ``), and neither may list a variable settings no longer reads.
Standard library only; run by `make check`.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "anlan" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"
OPERATIONS = ROOT / "docs" / "operations.md"

# env_str("NAME" …), env_bool(…), env_int(…), env_list(…), os.environ.get("NAME" …), os.getenv("NAME" …)
READ = re.compile(r"""\b(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def main() -> int:
    read = set(READ.findall(SETTINGS.read_text(encoding="utf-8")))
    documented = {
        ".env.example": set(EXAMPLE_LINE.findall(ENV_EXAMPLE.read_text(encoding="utf-8"))),
        "docs/operations.md": set(TABLE_ROW.findall(OPERATIONS.read_text(encoding="utf-8"))),
    }
    problems = []
    for where, names in documented.items():
        problems += [
            f"{name} is read by anlan/settings.py but missing from {where}" for name in sorted(read - names)
        ]
        problems += [
            f"{name} is in {where} but anlan/settings.py does not read it" for name in sorted(names - read)
        ]
    for problem in problems:
        print(f"check_env_docs: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_env_docs: all {len(read)} environment variables documented")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
