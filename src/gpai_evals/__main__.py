"""``python -m gpai_evals tasks [--risk-area AREA] [--json]``: the catalogue and offline readiness.

Exit status 0 on success, 2 on a usage error (an unknown risk area, a missing command).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict

from gpai_evals.catalogue import CatalogueEntry, RiskArea, entries


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gpai_evals", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    tasks = commands.add_parser("tasks", help="list the catalogue's tasks")
    tasks.add_argument(
        "--risk-area",
        choices=[area.value for area in RiskArea],
        help="only the tasks of this risk area",
    )
    tasks.add_argument("--json", action="store_true", help="one JSON object per task")
    return parser


def _table(rows: list[CatalogueEntry]) -> str:
    header = ("task", "risk area", "offline", "why / how")
    lines = [(e.name, e.risk_area.value, e.offline.value, e.offline_note) for e in rows]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
    out = []
    for row in [header, *lines]:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)))
        out[-1] += "  " + row[3]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    rows = list(entries(args.risk_area))
    if args.json:
        for entry in rows:
            sys.stdout.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
