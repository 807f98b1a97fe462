#!/usr/bin/env python3
"""Copy the front-end files Anlan serves from node_modules/ into anlan/static/vendor/.

Anlan makes no external calls at run time, so every script, style sheet and font comes from
npm (versions pinned in package.json / package-lock.json) and is served by Django/whitenoise.
Only the files below are copied. Source maps are not: where a minified file names one, the
`sourceMappingURL` comment is removed from the copy, because collectstatic's manifest storage
fails on a reference to a file that does not exist.

Run `npm ci` first; a missing source stops the script with a non-zero exit code.
Standard library only.
"""

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "anlan" / "static" / "vendor"

# (source under node_modules/, target under anlan/static/vendor/); a source ending in "/" is a folder.
FILES = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    # bootstrap-icons.min.css loads its fonts from "fonts/…" relative to itself.
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("bootstrap-icons/font/fonts/", "bootstrap-icons/fonts/"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
    # leaflet.css loads its marker and layer icons from "images/…" relative to itself.
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/images/", "leaflet/images/"),
    # The type-ahead pickers (core.widgets.EnterprisePicker): the complete build (clear button plugin).
    ("tom-select/dist/js/tom-select.complete.min.js", "tom-select/tom-select.complete.min.js"),
    ("tom-select/dist/css/tom-select.bootstrap5.min.css", "tom-select/tom-select.bootstrap5.min.css"),
]

# "//# sourceMappingURL=x.map" (JS) and "/*# sourceMappingURL=x.map */" (CSS), on their own line.
# The same line-start forms Django's ManifestStaticFilesStorage looks for.
SOURCE_MAP_COMMENT = re.compile(
    rb"(?m)^(?://[#@] sourceMappingURL=\S*|/\*[#@] sourceMappingURL=[^*]*\*/)[ \t]*\r?$\n?"
)


def copy_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    content = source.read_bytes()
    if source.suffix in {".js", ".css"}:
        stripped = SOURCE_MAP_COMMENT.sub(b"", content)
        if stripped != content:
            target.write_bytes(stripped)
            shutil.copystat(source, target)
            return
    shutil.copy2(source, target)


def main() -> int:
    missing = [source for source, _ in FILES if not (NODE_MODULES / source).exists()]
    if missing:
        print("copy_assets: missing in node_modules/ (run `npm ci` first):", file=sys.stderr)
        for source in missing:
            print(f"  node_modules/{source}", file=sys.stderr)
        return 1

    # Build the new tree beside the old one and swap at the end, so a failure never leaves a
    # half-copied vendor folder and files from an older package version do not linger.
    VENDOR.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".vendor-", dir=VENDOR.parent))
    try:
        for source, target in FILES:
            src, dst = NODE_MODULES / source, staging / target
            if source.endswith("/"):
                files = sorted(path for path in src.rglob("*") if path.is_file())
                if not files:
                    raise FileNotFoundError(f"node_modules/{source} is empty")
                for path in files:
                    copy_file(path, dst / path.relative_to(src))
            else:
                copy_file(src, dst)
        staging.chmod(0o755)
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        staging.rename(VENDOR)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    count = sum(1 for path in VENDOR.rglob("*") if path.is_file())
    print(f"copy_assets: {count} files in {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
