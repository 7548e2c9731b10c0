"""Benchmark: appending to the audit trail and verifying the chain.

    .venv/bin/python bench/audit.py [EVENTS]            # SQLite file under a temp dir
    DATABASE_URL=postgres://... .venv/bin/python bench/audit.py [EVENTS]

Builds a fresh database, appends EVENTS events one transaction each (as services do),
then walks the chain with `verify_chain()`. Prints events per second for both.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    tmp = Path(tempfile.mkdtemp(prefix="aioffice-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["AIOFFICE_DEBUG"] = "1"
    os.environ["AIOFFICE_VAR_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "aioffice.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from rich.progress import track

    from aioffice.core import audit
    from aioffice.core.models import AuditEvent

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine == "postgresql":
        # A fresh test database beside the one named, dropped at the end.
        from django.test.utils import setup_databases, teardown_databases

        old = setup_databases(verbosity=0, interactive=False)
    else:
        old = None
        call_command("migrate", verbosity=0)
    try:
        started = time.perf_counter()
        for i in track(range(events), description="appending", transient=True):
            audit.record(
                actor=None,
                action="bench.thing.changed",
                object_type="bench.thing",
                object_id=str(i),
                object_repr=f"Thing {i}",
                before={"state": "draft", "n": i},
                after={"state": "submitted", "n": i, "note": "x" * 40},
            )
        append_seconds = time.perf_counter() - started
        assert AuditEvent.objects.count() == events
        started = time.perf_counter()
        report = audit.verify_chain()
        verify_seconds = time.perf_counter() - started
        assert report.ok, report.problem
        print(f"database: {engine} ({connection.vendor})")
        print(
            f"append: {events} events in {append_seconds:.1f} s = {events / append_seconds:,.0f}/s"
        )
        print(
            f"verify: {events} events in {verify_seconds:.1f} s = {events / verify_seconds:,.0f}/s"
        )
    finally:
        if old is not None:
            teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
