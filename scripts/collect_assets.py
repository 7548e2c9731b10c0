"""Copy the front-end files aioffice serves from node_modules into var/assets.

Run by `make assets` after `npm ci`. Only the built distribution files are copied: the
Europa Component Library (EC preset, EUPL-1.2) and htmx (BSD-2-Clause). Nothing
third-party is committed to the repository.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "ecl/styles": ROOT / "node_modules/@ecl/preset-ec/dist/styles",
    "ecl/scripts": ROOT / "node_modules/@ecl/preset-ec/dist/scripts",
    "ecl/images": ROOT / "node_modules/@ecl/preset-ec/dist/images",
    "htmx": ROOT / "node_modules/htmx.org/dist",
}
TARGET = ROOT / "var/assets"
# The source maps are not copied, so the comments pointing at them go too: a dangling
# reference makes the production static-files storage (Manifest) fail in collectstatic.
SOURCE_MAP_COMMENT = re.compile(rb"\n?/[*/]# sourceMappingURL=[^\n]*?(?:\*/)?[ \t]*(?=\n|$)")


def strip_source_maps(folder: Path) -> None:
    for path in [*folder.rglob("*.css"), *folder.rglob("*.js")]:
        content = path.read_bytes()
        cleaned = SOURCE_MAP_COMMENT.sub(b"", content)
        if cleaned != content:
            path.write_bytes(cleaned)


def main() -> int:
    missing = [str(path) for path in SOURCES.values() if not path.is_dir()]
    if missing:
        print(f"error: run `npm ci` first; missing {', '.join(missing)}", file=sys.stderr)  # noqa: T201
        return 2
    staging = TARGET.with_name("assets.new")
    shutil.rmtree(staging, ignore_errors=True)
    for name, source in SOURCES.items():
        shutil.copytree(source, staging / name, ignore=shutil.ignore_patterns("*.map", "*.gz"))
    strip_source_maps(staging)
    shutil.rmtree(TARGET, ignore_errors=True)
    staging.rename(TARGET)
    print(f"front-end assets collected in {TARGET.relative_to(ROOT)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
