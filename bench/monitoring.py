"""Benchmark of compliance monitoring on PostgreSQL: the Office-wide view at scale.

    .venv/bin/python bench/monitoring.py                 # 100,000 versions
    .venv/bin/python bench/monitoring.py --versions 5000 # a quick run

It creates its own database (`aioffice_bench_monitoring`, dropped first) on the server of
`--admin-url`, migrates it, and generates providers (one per ten versions, a third outside
the Union), models (one per three versions) and versions whose current assessments are
copies of real aiact answers for eight kinds of version (systemic risk or not, legacy or
not, placed later, in or outside the Union), with a notification for one version in a
hundred. Then it times, best of three, what the Office-wide page does: the counts by
obligation and by provider (`selectors.summary`), the count and one page of 25 versions
with their evidence (first page and a deep page), the same with filters, the whole page
through the test client (staff, second factor), and the full CSV walk (every row).
The database is dropped unless `--keep`.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "aioffice_bench_monitoring"
KINDS: list[dict[str, Any]] = [  # facts of the eight kinds of version
    {"placed_on_market": "2025-09-01", "training_compute_flop": 3.8e25},
    {"placed_on_market": "2025-09-01", "training_compute_flop": 1e24},
    {"placed_on_market": "2024-07-01", "training_compute_flop": 3.8e25},
    {"placed_on_market": "2024-07-01", "training_compute_flop": 1e24},
    {"placed_on_market": "2027-03-01", "training_compute_flop": 3.8e25},
    {"placed_on_market": "2026-01-15", "training_compute_flop": 5e23},
    {"placed_on_market": "2025-10-01", "training_compute_flop": 2e25},
    {"placed_on_market": "2026-06-01", "training_compute_flop": 1e26},
]


def _database(admin_url: str, drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    return admin_url.rsplit("/", 1)[0] + "/" + DB_NAME


def _best(label: str, fn: Callable[[], Any], runs: int = 3) -> Any:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<58} {min(times) * 1000:9.1f} ms")
    return result


def _generate(n: int) -> None:
    from django.db import connection, transaction

    from aioffice.accounts.choices import OrganisationKind
    from aioffice.accounts.models import Organisation
    from aioffice.registry import services
    from aioffice.registry.models import Assessment, GPAIModel, ModelVersion, Notification, Provider

    start = time.perf_counter()
    # Templates: one real version per kind and establishment, assessed by aiact.
    templates: list[Assessment] = []
    for in_union in (True, False):
        org = Organisation.objects.create(
            name=f"Template {in_union}",
            kind=OrganisationKind.GPAI_PROVIDER,
            country="FR" if in_union else "US",
            established_in_union=in_union,
        )
        provider = services.provider_register(actor=None, organisation=org)
        model = services.model_create(actor=None, provider=provider, name="Template")
        for i, facts in enumerate(KINDS):
            version = services.version_create(
                actor=None,
                model=model,
                label=str(i),
                generates=["text"],
                compute_method="reported",
                **facts,
            )
            templates.append(services.version_assess(actor=None, version=version))
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Provider {p:06d}",
                    kind=OrganisationKind.GPAI_PROVIDER,
                    country="FR" if p % 3 else "US",
                    established_in_union=bool(p % 3),
                )
                for p in range(max(1, n // 10))
            ],
            batch_size=5000,
        )
        providers = Provider.objects.bulk_create(
            [Provider(organisation=o) for o in orgs], batch_size=5000
        )
        models = GPAIModel.objects.bulk_create(
            [
                GPAIModel(provider=providers[m % len(providers)], name=f"Model {m:06d}")
                for m in range(max(1, n // 3))
            ],
            batch_size=5000,
        )
        versions = ModelVersion.objects.bulk_create(
            [
                ModelVersion(
                    model=models[v % len(models)],
                    label=f"v{v}",
                    generates=["text"],
                    compute_method="reported",
                    placed_on_market=date.fromisoformat(KINDS[v % len(KINDS)]["placed_on_market"]),
                    training_compute_flop=KINDS[v % len(KINDS)]["training_compute_flop"],
                )
                for v in range(n)
            ],
            batch_size=5000,
        )
        assessments = []
        for v, version in enumerate(versions):
            in_union = models[v % len(models)].provider.organisation.established_in_union
            t = templates[(0 if in_union else len(KINDS)) + v % len(KINDS)]
            assessments.append(
                Assessment(
                    version=version,
                    facts=t.facts,
                    facts_hash=t.facts_hash,
                    result=t.result,
                    rules_version=t.rules_version,
                    law=t.law,
                    as_of=t.as_of,
                    gpai=t.gpai,
                    systemic_risk_status=t.systemic_risk_status,
                    training_compute_flop=t.training_compute_flop,
                    obligations=t.obligations,
                )
            )
        Assessment.objects.bulk_create(assessments, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE registry_modelversion v SET current_assessment_id = a.id "
                "FROM registry_assessment a WHERE a.version_id = v.id "
                "AND v.current_assessment_id IS NULL"
            )
        Notification.objects.bulk_create(
            [
                Notification(
                    tracking_number=f"N-2026-B{v:07d}",
                    provider=models[v % len(models)].provider,
                    version=versions[v],
                    trigger="compute_threshold",
                    submitted_on=date(2026, 10, 1),
                    due=date(2026, 9, 15),
                    late=True,
                )
                for v in range(0, n, 100)
            ],
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {n:,} versions in {time.perf_counter() - start:.1f} s")


def _measure(n: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from aioffice.accounts.choices import Role
    from aioffice.core.testing import make_user, signed_in_client
    from aioffice.registry.models import ModelVersion, Provider
    from aioffice.registry.monitoring import selectors

    on = timezone.now().date()
    everything = ModelVersion.objects.filter(current_assessment__isnull=False)
    summary = _best(
        "summary: counts by obligation and provider (2 queries)",
        lambda: selectors.summary(everything),
    )
    print(f"  {summary.versions:,} versions; providers listed: {len(summary.by_provider)}")

    def page(found: selectors.GapFilter, number: int) -> int:
        pages = selectors.CompliancePages(everything, found, on)
        count = pages.count()
        start = (number - 1) * 25
        return count + len(pages[start : start + 25])

    _best("count + page 1 of 25 versions with evidence", lambda: page(selectors.GapFilter(), 1))
    deep = max(1, n // 25 // 2)
    _best(f"count + page {deep} (keyless OFFSET)", lambda: page(selectors.GapFilter(), deep))
    _best(
        "count + page 1, obligation art54_1 status overdue",
        lambda: page(selectors.GapFilter(obligation="art54_1", status="overdue"), 1),
    )
    provider = Provider.objects.order_by("pk").last()
    assert provider is not None
    _best(
        "count + page 1, one provider, systemic risk only",
        lambda: page(selectors.GapFilter(provider=provider.pk, systemic_risk=True), 1),
    )
    from aioffice.accounts.models import User

    officer = User.objects.filter(username="bench-officer").first()
    staff: Client = signed_in_client(officer or make_user(Role.POLICY_OFFICER, "bench-officer"))
    response = _best(
        "GET /office/compliance/ (whole page, test client)",
        lambda: staff.get("/office/compliance/"),
    )
    assert response.status_code == 200, response.status_code
    response = _best(
        "GET /api/v1/monitoring/gaps?page=2", lambda: staff.get("/api/v1/monitoring/gaps?page=2")
    )
    assert response.status_code == 200, response.status_code

    def walk() -> int:
        rows = selectors.all_gap_rows(everything, selectors.GapFilter(), on)
        return sum(1 for _ in itertools.islice(rows, 50_000))

    start = time.perf_counter()
    rows = walk()
    spent = time.perf_counter() - start
    print(f"CSV walk: first {rows:,} rows in {spent:.1f} s ({rows / spent:,.0f} rows/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=100_000)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--measure-only", action="store_true", help="reuse the database a --keep run left"
    )
    args = parser.parse_args()
    if args.measure_only:
        os.environ["DATABASE_URL"] = args.admin_url.rsplit("/", 1)[0] + "/" + DB_NAME
    else:
        os.environ["DATABASE_URL"] = _database(args.admin_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    os.environ.setdefault("AIOFFICE_DEBUG", "1")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    if not args.measure_only:
        call_command("migrate", verbosity=0, run_syncdb=True)
    try:
        if not args.measure_only:
            _generate(args.versions)
        _measure(args.versions)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _database(args.admin_url, drop_only=True)


if __name__ == "__main__":
    main()
