"""Benchmark of the one clock: an officer's deadline dashboard under 50,000 open deadlines.

    .venv/bin/python bench/supervision.py                       # SQLite file in a temp dir
    .venv/bin/python bench/supervision.py --requests 400
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/supervision.py

What it does, in one command:

1. A fresh database: a SQLite file under a temporary folder, or, when DATABASE_URL names a
   PostgreSQL server, a test database beside the one named (created and dropped, as
   bench/audit.py does); migrated.
2. Bulk-creates (bulk_create, progress bars) 50 officers (`--officers`; one head of unit),
   500 providers, 10,000 cases (`--cases`) with their leads, and 50,000 open deadlines
   (`--deadlines`) spread over the officers, the providers and the cases, due from 60 days
   ago to 180 days ahead, of every kind, some the provider's move, some the Code's, plus
   10,000 closed ones.
3. Signs one officer in (with the second factor) through Django's test client and asks
   for the dashboard `--requests` times (default 200, after 10 unmeasured), cycling through
   the first page, a filter (kind, basis, provider) and later pages of each section; then
   the same for the head of unit's "everyone" view (`owner=all`, 50,000 rows). Prints
   p50/p95/p99 and the queries of one request.

Goal: p95 under 150 ms for the officer's dashboard.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _uptime() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split(" ", 3)[:3])
    except OSError:
        return "?"


def _setup(tmp: Path) -> Any:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["AIOFFICE_DEBUG"] = "0"
    os.environ.setdefault("AIOFFICE_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["AIOFFICE_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["AIOFFICE_VAR_DIR"] = str(tmp)
    os.environ["AIOFFICE_MEDIA_ROOT"] = str(tmp / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "aioffice.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # production settings (DEBUG off), but static files as they are, without the manifest
    # collectstatic would write (the page's time is what is measured, not the assets)
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if engine == "postgresql":
        from django.test.utils import setup_databases

        return engine, setup_databases(verbosity=0, interactive=False)
    call_command("migrate", verbosity=0)
    return engine, None


def _populate(args: argparse.Namespace) -> tuple[Any, Any]:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rich.progress import track

    from aioffice.accounts.choices import OrganisationKind, Role
    from aioffice.accounts.models import Membership, Organisation, User
    from aioffice.registry.models import Provider
    from aioffice.supervision.choices import (
        CaseOrigin,
        DeadlineKind,
        DeadlineStatus,
        TeamRole,
    )
    from aioffice.supervision.models import Case, CaseMember, Deadline

    rng = random.Random(6)
    today = timezone.now().date()
    now = timezone.now()
    office = Organisation.objects.create(
        name="Bench AI Office", kind=OrganisationKind.AI_OFFICE, country="BE",
        established_in_union=True,
    )  # fmt: skip
    password = make_password("bench-password-42")
    officers = User.objects.bulk_create(
        [
            User(username=f"officer{i:03d}", email=f"officer{i}@bench.example", password=password)
            for i in range(args.officers)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                organisation=office,
                role=Role.HEAD_OF_UNIT if i == 0 else Role.POLICY_OFFICER,
            )
            for i, u in enumerate(officers)
        ]
    )
    for user in officers[:2]:
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench provider {i:04d}",
                kind=OrganisationKind.GPAI_PROVIDER,
                country="FR",
                established_in_union=True,
            )
            for i in range(args.providers)
        ]
    )
    providers = Provider.objects.bulk_create([Provider(organisation=o) for o in organisations])
    cases: list[Case] = []
    for start in track(range(0, args.cases, 2000), description="cases"):
        cases += Case.objects.bulk_create(
            [
                Case(
                    reference=f"SUP-B-{i:06d}",
                    title=f"Bench case {i}",
                    provider=rng.choice(providers),
                    origin=CaseOrigin.EX_OFFICIO,
                    opened_on=today - timedelta(days=rng.randint(0, 400)),
                    opened_at=now,
                )
                for i in range(start, min(start + 2000, args.cases))
            ]
        )
    leads = {case.pk: rng.choice(officers) for case in cases}
    CaseMember.objects.bulk_create(
        [CaseMember(case=c, user=leads[c.pk], role=TeamRole.LEAD) for c in cases],
        batch_size=2000,
    )
    kinds = list(DeadlineKind.values)
    total = args.deadlines + args.deadlines // 5
    batch: list[Deadline] = []
    for i in track(range(total), description="deadlines"):
        case = rng.choice(cases) if rng.random() < 0.8 else None
        kind = rng.choice(kinds)
        closed = i >= args.deadlines
        batch.append(
            Deadline(
                kind=kind,
                title=f"Bench deadline {i} ({kind})",
                due_on=today + timedelta(days=rng.randint(-60, 180)),
                status=DeadlineStatus.MET if closed else DeadlineStatus.OPEN,
                source=f"bench.thing:{i}",
                case=case,
                provider=case.provider if case is not None else rng.choice(providers),
                owner=leads[case.pk] if case is not None else rng.choice(officers),
                provider_to_act=rng.random() < 0.5,
                legal=kind not in ("cop_framework", "cop_model_report"),
                url=f"/office/supervision/cases/{case.pk}/" if case is not None else "",
                rules_version="bench",
                closed_at=now if closed else None,
            )
        )
        if len(batch) == 5000:
            Deadline.objects.bulk_create(batch)
            batch = []
    if batch:
        Deadline.objects.bulk_create(batch)
    return officers[1], officers[0]


def _client(user: Any) -> Any:
    from aioffice.core.testing import signed_in_client

    return signed_in_client(user)


def _measure(client: Any, urls: list[str], requests: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in urls[:10]:  # warm-up, not measured
        assert client.get(url).status_code == 200, url
    times = []
    for i in range(requests):
        url = urls[i % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])
    return times, len(queries)


def _report(label: str, times: list[float], queries: int) -> None:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{label:<34} n={len(times)}  p50 {cuts[49]:6.1f} ms  p95 {cuts[94]:6.1f} ms  "
        f"p99 {cuts[98]:6.1f} ms  max {max(times):6.1f} ms  ({queries} queries)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--deadlines", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aioffice-bench-supervision-"))
    print(f"load average at the start: {_uptime()}")
    engine, old = _setup(tmp)
    try:
        started = time.perf_counter()
        officer, head = _populate(args)
        print(f"set-up: {time.perf_counter() - started:.1f} s ({engine})")
        from django.urls import reverse

        from aioffice.supervision.models import Deadline

        dashboard = reverse("supervision:dashboard")
        mine = Deadline.objects.filter(owner=officer, status="open").count()
        provider = Deadline.objects.filter(owner=officer).values_list("provider_id", flat=True)[0]
        urls = [
            dashboard,
            dashboard + "?kind=measure",
            dashboard + "?basis=code",
            dashboard + f"?provider={provider}",
            dashboard + "?o=3&s=2&l=10",
            dashboard + "?move=provider&l=5",
        ]
        times, queries = _measure(_client(officer), urls, args.requests)
        _report(f"officer's dashboard ({mine} open)", times, queries)
        head_urls = [u + ("&" if "?" in u else "?") + "owner=all" for u in urls]
        times, queries = _measure(_client(head), head_urls, args.requests)
        _report(f"head of unit, everyone ({args.deadlines} open)", times, queries)
    finally:
        if old is not None:
            from django.test.utils import teardown_databases

            teardown_databases(old, verbosity=0)
    print(f"load average at the end: {_uptime()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
