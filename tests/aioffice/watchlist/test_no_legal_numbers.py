"""Law as code: the watch-list's words carry no legal number (the band's margin is aiact's,
dated, and may change with the Guidelines)."""

from __future__ import annotations

import re
from pathlib import Path

from aioffice.registry.watchlist import api
from aioffice.registry.watchlist.choices import Band

TEMPLATES = Path(api.__file__).parent / "templates"
PERCENT = re.compile(r"\d+\s*%")


def test_labels_templates_and_route_summaries_name_no_margin() -> None:
    assert not [label for label in Band.labels if PERCENT.search(str(label))]
    for template in TEMPLATES.rglob("*.html"):
        assert not PERCENT.search(template.read_text()), template
    summaries = [
        op.summary or "" for p in api.router.path_operations.values() for op in p.operations
    ]
    assert not [s for s in summaries if PERCENT.search(s)]
