"""Benchmark of the EU database's public search: 100,000 registrations, concurrent clients,
p95 of public searches (text, filters, pages, the JSON API, entries), on PostgreSQL or
SQLite.

    .venv/bin/python bench/database.py                       # PostgreSQL, 100,000 entries
    .venv/bin/python bench/database.py --db sqlite           # the same on a SQLite file
    .venv/bin/python bench/database.py --scale smoke --warm 2 --seconds 5   # 2,000, a minute

What it does, in one command:

1. Creates its own database (PostgreSQL: `aioffice_bench_database` on the server of
   `--admin-url`, dropped first, as bench/registry.py does; SQLite: a file in a temporary
   folder), migrates it, registers one entry through the service (so that aiact's answer
   and the audit trail are real) and bulk-creates the rest: 2,000 provider organisations and
   200 public bodies; sections A (60 %), B (15 %), C (15 %, half of them pointing to an A
   entry) and Annex IX (10 %, a third with the provider's consent); Annex III areas 1 and
   3-8, point 1 in law enforcement for a fifth of its entries; each combination's visibility
   and points asked of aiact once. Entries of points 6 and 7 (and 1 in law enforcement) are
   in the secure section, Annex IX entries without consent are for the authorities only.
2. Serves the platform with gunicorn (sync workers, `AIOFFICE_DEBUG` off,
   bench/portal_settings.py, Django's cache in a folder the workers share unless
   `--cache memory`) and sends `--clients` concurrent clients (threads, one plain GET per
   connection, no cookies: the public) for `--seconds`, after `--warm` seconds of the same
   load, at a mix of public searches: a word or two of the vocabulary (page 1-3), a filter
   (section, area, status or Member State, any page of its results), a page of the whole
   list, the same through the JSON API, and an entry's page.
3. Prints p50/p95/p99 over all requests and per kind, requests per second, errors, the
   load average at the start and the end, and the CPU time a request cost the server (and
   the PostgreSQL processes): on an idle machine the latency follows from it (clients * CPU
   / cores). Drops the database unless `--keep`; `--reuse` serves a kept one.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import registry as registry_bench  # bench/registry.py: the database, server and clients

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "aioffice_bench_database"
SCALES = {"full": 100_000, "medium": 20_000, "smoke": 2_000, "tiny": 200}
PAGE_SIZE = 20  # the search page's
API_PAGE_SIZE = 50  # ninja's default page size for the API
GOAL_MS = 150.0

WORDS = [
    "recruitment",
    "ranking",
    "screening",
    "credit",
    "scoring",
    "insurance",
    "pricing",
    "triage",
    "emergency",
    "dispatch",
    "admission",
    "grading",
    "proctoring",
    "benefits",
    "eligibility",
    "biometric",
    "identification",
    "categorisation",
    "emotion",
    "recognition",
    "polygraph",
    "evidence",
    "reoffending",
    "profiling",
    "border",
    "asylum",
    "visa",
    "residence",
    "judicial",
    "election",
    "voting",
    "tutor",
    "learning",
    "promotion",
    "termination",
    "monitoring",
    "allocation",
    "vision",
    "speech",
    "language",
    "model",
    "camera",
    "sensor",
    "scanner",
    "analytics",
    "forecast",
    "matching",
    "assessment",
    "verification",
    "detection",
    "classifier",
    "assistant",
    "navigator",
]
BRANDS = [
    "Acme",
    "Nova",
    "Helix",
    "Orion",
    "Lumen",
    "Vertex",
    "Quanta",
    "Sigma",
    "Aurora",
    "Boreal",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lynx",
    "Meridian",
    "Nimbus",
    "Onyx",
    "Pioneer",
    "Quartz",
    "Raven",
    "Sable",
    "Tundra",
    "Umbra",
    "Vega",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
]
STATES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
STATUSES = ("on_market", "on_market", "on_market", "no_longer", "recalled")
AREAS = ("1", "3", "4", "5", "6", "7", "8")


def _uptime() -> str:
    return registry_bench._uptime()


# --- the data ----------------------------------------------------------------------------------


def _answers() -> Callable[[str, str, bool, bool], dict[str, Any]]:
    """aiact's answer per combination, asked once each."""
    from aioffice.cooperation.services_database import _facts, visibility_answer

    memo: dict[tuple[str, str, bool, bool], dict[str, Any]] = {}

    def answer(section: str, point: str, sensitive: bool, consent: bool) -> dict[str, Any]:
        key = (section, point, sensitive, consent)
        if key not in memo:
            memo[key] = _facts(
                visibility_answer(
                    section=section,
                    annex_iii_point=point,
                    sensitive_context=sensitive,
                    publication_consent=consent,
                )
            )
        return memo[key]

    return answer


def generate(count: int, seed: int) -> dict[str, Any]:
    """Organisations, one entry through the service, the rest in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from aioffice.accounts import services as accounts
    from aioffice.accounts.choices import OrganisationKind, Role
    from aioffice.accounts.models import Organisation
    from aioffice.cooperation import services_database as services
    from aioffice.cooperation.models_database import (
        POINTS,
        Registration,
        RegistrationSequence,
        fold,
    )

    rng = random.Random(seed)
    providers = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{rng.choice(BRANDS)} {rng.choice(WORDS).title()} {n} (bench)",
                kind=OrganisationKind.DOWNSTREAM_PROVIDER,
                country=rng.choice(STATES),
                established_in_union=True,
            )
            for n in range(max(2, min(2_000, count // 50)))
        ]
    )
    bodies = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Public body {n} (bench)",
                kind=OrganisationKind.PUBLIC_BODY,
                country=rng.choice(STATES),
                established_in_union=True,
            )
            for n in range(max(1, min(200, count // 500)))
        ]
    )
    user = accounts.user_create(
        actor=None,
        username="bench-provider",
        email="bench@example.org",
        password="Bench-" + secrets.token_hex(8) + "-Aa1",
    )
    accounts.membership_add(
        actor=None, user=user, organisation=providers[0], role=Role.ORGANISATION_MEMBER
    )
    first = services.registration_create(
        actor=user,
        organisation=providers[0],
        section="A",
        annex_iii_point="4",
        values={
            "registrant_name": providers[0].name,
            "registrant_contact": "bench@example.org",
            "submitter_name": "Bench",
            "trade_name": "Bench Hire",
            "reference": "BH-1",
            "intended_purpose": "recruitment ranking (bench)",
            "information_and_logic": "bench",
            "status": "on_market",
            "member_states": ["FR"],
        },
    )
    answer = _answers()
    year = timezone.now().year
    start = timezone.now() - timezone.timedelta(days=365)
    sequences = {"A": 1, "B": 0, "C": 0, "IX": 0}
    rows: list[Registration] = []
    a_ids: list[int] = [first.pk]
    next_id = first.pk + 1
    for n in range(count - 1):
        roll = rng.random()
        section = "A" if roll < 0.6 else "B" if roll < 0.75 else "C" if roll < 0.9 else "IX"
        point = rng.choice(AREAS)
        sensitive = point == "1" and rng.random() < 0.2
        consent = section == "IX" and rng.random() < 0.33
        facts = answer(section, point, sensitive, consent)
        fields = set(facts["fields"])
        keys = {p.key: p.point for p in POINTS[section]}

        def shown(key: str, fields: set[str] = fields, keys: dict[str, str] = keys) -> bool:
            return key in keys and keys[key] in fields

        organisation = rng.choice(bodies if section == "C" else providers)
        brand = f"{rng.choice(BRANDS)} {rng.choice(WORDS).title()}"
        purpose = " ".join(rng.sample(WORDS, 6))
        sequences[section] += 1
        values = {
            "registrant_name": organisation.name,
            "trade_name": brand if shown("trade_name") else "",
            "reference": f"{brand[:3].upper()}-{n}" if shown("reference") else "",
            "intended_purpose": purpose if shown("intended_purpose") else "",
            "status": rng.choice(STATUSES) if shown("status") else "",
            "member_states": (
                "|" + "|".join(sorted(rng.sample(STATES, rng.randint(1, 4)))) + "|"
                if shown("member_states")
                else ""
            ),
        }
        system_id = rng.choice(a_ids) if section == "C" and rng.random() < 0.5 else None
        rows.append(
            Registration(
                id=next_id,
                number=f"EU-DB-{section}-{year}-{sequences[section]:06d}",
                section=section,
                annex_iii_point=point,
                sensitive_context=sensitive,
                publication_consent=consent,
                organisation_id=organisation.pk,
                system_id=system_id,
                details={"registrant_contact": "contact@bench.example"},
                search=fold(
                    " ".join(
                        [
                            values["registrant_name"],
                            values["trade_name"],
                            values["reference"],
                            values["intended_purpose"],
                        ]
                    )
                ),
                registered_at=start + timezone.timedelta(seconds=n * 300),
                **values,
                **facts,
            )
        )
        if section == "A":
            a_ids.append(next_id)
        next_id += 1
    with transaction.atomic():
        for chunk in range(0, len(rows), 5_000):
            Registration.objects.bulk_create(rows[chunk : chunk + 5_000])
        for section, last in sequences.items():
            RegistrationSequence.objects.update_or_create(
                section=section, year=year, defaults={"last": last}
            )
    _reset_sequence()
    return {"entries": count, "providers": len(providers), "bodies": len(bodies)}


def _reset_sequence() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        registry_bench._reset_sequences("cooperation_registration")


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    connection.close()


# --- the load ----------------------------------------------------------------------------------


def _numbers(visibility: str = "public") -> list[str]:
    from aioffice.cooperation.models_database import Registration

    return list(
        Registration.objects.filter(visibility=visibility, state="registered")
        .order_by("?")
        .values_list("number", flat=True)[:2_000]
    )


def paths() -> dict[str, Callable[[random.Random], str]]:
    """The kinds of public requests, each a path from a random generator."""
    from aioffice.cooperation.models_database import Registration

    public = Registration.objects.filter(visibility="public", state="registered").count()
    pages = max(1, -(-public // PAGE_SIZE))
    numbers = _numbers()

    def words(rng: random.Random) -> str:
        return "+".join(rng.sample(WORDS, rng.choice((1, 1, 2))))

    def text(rng: random.Random) -> str:
        return f"/eu-database/?q={words(rng)}&page={rng.randint(1, 3)}"

    def filtered(rng: random.Random) -> str:
        choice = rng.randrange(4)
        if choice == 0:
            query = f"section={rng.choice(('A', 'B', 'C'))}"
        elif choice == 1:
            query = f"annex_iii_point={rng.choice(AREAS)}"
        elif choice == 2:
            query = f"status={rng.choice(STATUSES)}"
        else:
            query = f"member_state={rng.choice(STATES)}"
        return f"/eu-database/?{query}&page={rng.randint(1, 50)}"

    def page(rng: random.Random) -> str:
        return f"/eu-database/?page={rng.randint(1, pages)}"

    def api(rng: random.Random) -> str:
        if rng.random() < 0.5:
            return f"/api/v1/cooperation/database/registrations?q={words(rng)}"
        return (
            "/api/v1/cooperation/database/registrations"
            f"?annex_iii_point={rng.choice(AREAS)}&page={rng.randint(1, 20)}"
        )

    def entry(rng: random.Random) -> str:
        return f"/eu-database/{rng.choice(numbers)}/"

    return {"text": text, "filter": filtered, "page": page, "api": api, "entry": entry}


def _mix(kinds: dict[str, Callable[[random.Random], str]]) -> Callable[[random.Random], str]:
    weights = {"text": 35, "filter": 25, "page": 15, "api": 15, "entry": 10}
    names = list(kinds)
    population = [weights[name] for name in names]

    def path(rng: random.Random) -> str:
        return kinds[rng.choices(names, population)[0]](rng)

    return path


def _load_by_kind(
    port: int, kinds: dict[str, Callable[[random.Random], str]], clients: int, seconds: float
) -> tuple[dict[str, list[float]], int, float]:
    """Like registry_bench._load, with each latency filed under its kind."""
    import http.client
    import threading

    by_kind: dict[str, list[float]] = {name: [] for name in kinds}
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    weights = {"text": 35, "filter": 25, "page": 15, "api": 15, "entry": 10}
    names = list(kinds)
    population = [weights[name] for name in names]

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, list[float]] = {name: [] for name in kinds}
        bad = 0
        while time.perf_counter() < stop:
            name = rng.choices(names, population)[0]
            path = kinds[name](rng)
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            finally:
                conn.close()
            mine[name].append((time.perf_counter() - started) * 1000)
        with lock:
            for name, values in mine.items():
                by_kind[name].extend(values)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(1000 + i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return by_kind, errors[0], time.perf_counter() - started


def _cpu(pids: Sequence[int]) -> dict[int, float]:
    """User and system CPU seconds of each process still there (Linux's /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes in both (a worker gunicorn
    replaced meanwhile is left out)."""
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def _children(server: int) -> list[int]:
    found = [server]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def _backends() -> list[int]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """gunicorn as bench/registry.py starts it, with the application loaded once before the
    workers fork (`--preload`) and a longer worker timeout: on a machine its neighbours
    load heavily, five workers importing the platform at once can take longer than
    gunicorn's 30 seconds, and it kills them over and over."""
    import http.client

    server = subprocess.Popen(  # noqa: S603  (our own command)
        [
            str(registry_bench.BIN / "gunicorn"),
            "aioffice.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--preload",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/v1/status")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def measure(port: int, server: int, clients: int, seconds: float, warm: float) -> float:
    kinds = paths()
    from django.db import connections

    connections.close_all()
    registry_bench._load(port, _mix(kinds), {}, clients, warm)  # imports, caches
    before = _uptime()
    serving, database = _children(server), _backends()
    cpu = [_cpu(serving), _cpu(database)]
    by_kind, errors, wall = _load_by_kind(port, kinds, clients, seconds)
    spent = [_spent(cpu[0], _cpu(serving)), _spent(cpu[1], _cpu(database))]
    everything = [value for values in by_kind.values() for value in values]
    pct = registry_bench._pct
    print(f"{'requests':<28} {'p50':>8} {'p95':>8} {'p99':>8} {'count':>7}")
    for name, values in [("all", everything), *by_kind.items()]:
        if not values:
            continue
        print(
            f"{name:<28} {pct(values, 50):>6.1f}ms {pct(values, 95):>6.1f}ms "
            f"{pct(values, 99):>6.1f}ms {len(values):>7}"
        )
    per_request = [1000 * s / max(1, len(everything)) for s in spent]
    p95 = pct(everything, 95)
    print(
        f"{len(everything) / wall:.1f} req/s, {errors} errors; load average {before} -> "
        f"{_uptime()}\nCPU a request: {sum(per_request):.1f} ms (server {per_request[0]:.1f}, "
        f"database {per_request[1]:.1f}); goal p95 < {GOAL_MS:.0f} ms: "
        + ("met" if p95 < GOAL_MS and not errors else "missed"),
        flush=True,
    )
    return p95


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="full", help=f"{', '.join(SCALES)} or a number")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--sqlite-dir", default="", help="where the SQLite file goes (--keep)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warm", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--cache", choices=["files", "memory"], default="files")
    args = parser.parse_args(argv)
    count = SCALES[args.scale] if args.scale in SCALES else int(args.scale)

    print(f"EU database bench ({args.db}): load average {_uptime()}", flush=True)
    registry_bench.DB_NAME = DB_NAME
    folder = ""
    if args.db == "sqlite":
        folder = args.sqlite_dir or tempfile.mkdtemp(prefix="aioffice-bench-db-")
        path = Path(folder) / "database.sqlite3"
        if not args.reuse and path.exists():
            path.unlink()
        url = f"sqlite:///{path}"
    elif args.reuse:
        url = args.admin_url.rsplit("/", 1)[0] + "/" + DB_NAME
    else:
        url = registry_bench._create_database(args.admin_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal_settings",
        "AIOFFICE_DEBUG": "0",
        "AIOFFICE_SECRET_KEY": secrets.token_urlsafe(32),
        # every client comes from 127.0.0.1: the per-address limit of the public API would
        # answer most of its requests with 429
        "AIOFFICE_PUBLIC_API_RATE": "1000000/m",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
    }
    cache_dir = tempfile.mkdtemp(prefix="aioffice-bench-cache-") if args.cache == "files" else ""
    env["AIOFFICE_CACHE_DIR"] = cache_dir
    os.environ.update(env)
    keep = args.keep or args.reuse
    try:
        import django

        django.setup()
        from django.core.management import call_command

        if not args.reuse:
            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            made = generate(count, args.seed)
            print(
                f"generated in {time.perf_counter() - started:.0f} s: {made['entries']:,} "
                f"entries, {made['providers']:,} providers, {made['bodies']:,} public bodies",
                flush=True,
            )
            _analyse()
        from django.db.models import Count

        from aioffice.cooperation.models_database import Registration

        shares = dict(
            Registration.objects.values_list("visibility").annotate(n=Count("id")).order_by()
        )
        print(f"by visibility: {shares}", flush=True)
        from django.db import connections

        connections.close_all()
        server = serve(env, args.port, args.workers)
        try:
            print(
                f"\n{args.clients} clients, {args.workers} gunicorn workers, {args.seconds:.0f} s "
                f"after {args.warm:.0f} s of warming, cache: "
                + (f"files ({cache_dir})" if cache_dir else "each worker's memory"),
                flush=True,
            )
            measure(args.port, server.pid, args.clients, args.seconds, args.warm)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        print(f"load average at the end {_uptime()}")
    finally:
        from django.db import connections

        connections.close_all()
        if cache_dir:
            shutil.rmtree(cache_dir, ignore_errors=True)
        if keep:
            print(f"kept: {url}")
        elif args.db == "sqlite":
            shutil.rmtree(folder, ignore_errors=True)
        else:
            registry_bench._drop_database(args.admin_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
