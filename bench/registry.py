"""Benchmark of the GPAI registry on PostgreSQL: lists under load, and the reassessment.

    .venv/bin/python bench/registry.py                  # the issue's scale (--scale full)
    .venv/bin/python bench/registry.py --scale smoke    # 2,000 versions, a minute or less

What it does, in one command:

1. Creates its own database (`aioffice_bench_registry`, dropped first if it exists) on the
   server of `--admin-url` (default the development server), and migrates it.
2. Generates the data (progress bars): providers (one per ten versions), models (three per
   ten versions), versions with varied facts (reported compute, 6·P·D, hardware estimates,
   modifications, open-source licences, reach, public fields), Art. 52 decisions for about
   1 % of them, and the history: about nine older snapshots per version, made by copying a
   pool of real stored answers on the server (`INSERT … SELECT`), so that the assessment
   table holds about ten snapshots per version.
3. Times `aioffice registry reassess` (the command, as a subprocess) four times: the first
   run (every version gets its current snapshot), a run where nothing changed on the same
   day (aiact is not asked again), one on the next day (aiact asked for every version,
   nothing stored), and a run where everything changed (every provider moves in or out of
   the Union: new facts, and the Art. 54 obligation changes for every GPAI model).
4. Serves the platform with gunicorn (`--workers`, default twice the cores plus one;
   `AIOFFICE_DEBUG` off) and sends `--clients` concurrent clients (threads, one HTTP/1.0
   connection per request, as gunicorn's sync workers serve them) at each endpoint in turn for
   `--seconds`: the version list (a status filter and a random page, a staff token), a
   model's detail (a random model), the public list over the API and as a page (random
   pages). Prints p50/p95/p99 and requests per second for each.
5. Drops the database unless `--keep`.

The load average (`uptime`) is printed at the start and the end: on a shared machine the
figures move with the neighbours' load.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DB_NAME = "aioffice_bench_registry"
DAY = date(2026, 11, 25)  # the day every run applies the law on (--as-of)
SCALES = {"full": 100_000, "medium": 20_000, "smoke": 2_000, "tiny": 200}
MODALITIES = ["text", "code", "audio", "image", "video"]
CHANNELS = ["api", "weights_download", "consumer_app", "cloud_marketplace", "other"]
PUBLIC = ["placed_on_market", "generates", "parameters", "training_compute_flop"]
HISTORY_POOL = 1_000  # real answers copied into the older snapshots


def _uptime() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()
    except OSError:
        return "?"


def _progress() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )


# --- the database ------------------------------------------------------------------------------


def _create_database(admin_url: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return admin_url.rsplit("/", 1)[0] + "/" + DB_NAME


def _drop_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def _copy(table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]], bar: Any) -> None:
    """COPY rows into a table on Django's connection (text format)."""
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                bar()


def _reset_sequences(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


# --- the data ----------------------------------------------------------------------------------


def _version_row(rng: random.Random, pk: int, model_id: int, label: str, now: Any) -> list[Any]:
    """A version with varied facts that aiact accepts, as a COPY row of VERSION_COLUMNS."""
    method = rng.choices(["reported", "six_pd", "hardware", ""], [55, 20, 15, 10])[0]
    flop = params = tokens = gpu_hours = peak = util = None
    if method == "reported":
        flop = 10 ** rng.uniform(22, 26.5)
    elif method == "six_pd":
        params, tokens = int(10 ** rng.uniform(9, 12)), int(10 ** rng.uniform(11, 13.5))
    elif method == "hardware":
        gpu_hours, peak, util = round(10 ** rng.uniform(4, 7.5), 2), 1e15, rng.choice([0.3, 0.4])
    modifies = mod_flop = None
    if method == "" and pk > 100:
        modifies, mod_flop = rng.randint(1, pk - 1), 10 ** rng.uniform(21, 25)
    elif method == "":
        method, flop = "reported", 10 ** rng.uniform(22, 26.5)
    open_source = None
    if rng.random() < 0.3:
        open_source = json.dumps(
            {
                "rights": rng.sample(["access", "use", "modify", "distribute"], rng.randint(2, 4)),
                "restrictions": [],
                "monetised": rng.random() < 0.2,
                "weights_public": True,
                "architecture_public": True,
            }
        )
    placed = date(2024, 7, 1) + timedelta(days=rng.randint(0, 800))
    users = rng.choice([None, None, rng.randint(100, 200_000)])
    return [
        pk,
        model_id,
        label,
        placed,
        json.dumps(rng.sample(MODALITIES, rng.randint(1, 3))),
        params,
        tokens,
        flop,
        method,
        gpu_hours,
        peak,
        util,
        None,
        "",
        open_source,
        modifies,
        mod_flop,
        users,
        None,
        placed if users is not None else None,
        json.dumps(rng.sample(CHANNELS, rng.randint(1, 2))),
        json.dumps(rng.sample(PUBLIC, rng.randint(0, 3))),
        None,
        now,
        now,
    ]


VERSION_COLUMNS = (
    "id",
    "model_id",
    "label",
    "placed_on_market",
    "generates",
    "parameters",
    "training_tokens",
    "training_compute_flop",
    "compute_method",
    "compute_gpu_hours",
    "compute_peak_flops",
    "compute_utilisation",
    "compute_uncertainty_percent",
    "compute_assumptions",
    "open_source",
    "modifies_id",
    "modification_compute_flop",
    "eu_business_users",
    "eu_end_users",
    "reach_counted_on",
    "distribution_channels",
    "public_fields",
    "current_assessment_id",
    "created_at",
    "updated_at",
)


def generate(versions: int, seed: int) -> dict[str, Any]:
    """Fill the database; return what the clients need (ids, tokens)."""
    from django.db import connection
    from django.utils import timezone

    from aioffice.accounts import services as accounts
    from aioffice.accounts.choices import OrganisationKind, Role
    from aioffice.core.testing import make_user
    from aioffice.registry.models import Decision, GPAIModel, ModelVersion

    rng = random.Random(seed)
    now = timezone.now()
    providers = max(versions // 10, 1)
    models = max(versions * 3 // 10, 1)
    with _progress() as progress:
        # Organisations and providers (ids 1..providers; other organisations come later).
        task = progress.add_task("providers", total=2 * providers)

        def step(task: Any = task) -> None:
            progress.advance(task)

        countries = ["FR", "DE", "IE", "NL", "US", "GB", "CN", "CA"]
        _copy(
            "accounts_organisation",
            ("id", "name", "kind", "country", "established_in_union", "created_at"),
            (
                (
                    i,
                    f"Provider {i:06d}",
                    OrganisationKind.GPAI_PROVIDER,
                    country := rng.choice(countries),
                    country in {"FR", "DE", "IE", "NL"},
                    now,
                )
                for i in range(1, providers + 1)
            ),
            step,
        )
        _copy(
            "registry_provider",
            ("id", "organisation_id", "lacks_representative", "created_at"),
            ((i, i, False, now) for i in range(1, providers + 1)),
            step,
        )
        task = progress.add_task("models", total=models)
        _copy(
            "registry_gpaimodel",
            ("id", "provider_id", "name", "public_description", "created_at"),
            (
                (i, rng.randint(1, providers), f"Model {i:06d}", "A general-purpose model.", now)
                for i in range(1, models + 1)
            ),
            lambda: progress.advance(task),
        )
        task = progress.add_task("versions", total=versions)
        model_of = [0] + [rng.randint(1, models) for _ in range(versions)]
        _copy(
            "registry_modelversion",
            VERSION_COLUMNS,
            (_version_row(rng, i, model_of[i], f"v{i}", now) for i in range(1, versions + 1)),
            lambda: progress.advance(task),
        )
        _reset_sequences(
            "accounts_organisation",
            "registry_provider",
            "registry_gpaimodel",
            "registry_modelversion",
        )
        # Art. 52 decisions on about 1 % of the versions (aiact reads them on reassessment).
        task = progress.add_task("decisions", total=max(versions // 100, 1))
        kinds = ["arguments_accepted", "designated_annex_xiii", "designated_failure_to_notify"]
        decisions = [
            Decision(
                version_id=version_id,  # one each: two on one day could contradict
                kind=rng.choice(kinds),
                reasons="Bench decision.",
                decided_on=date(2025, 10, 1),
                annex_xiii={"e": "Benchmarks at the frontier."},
            )
            for version_id in rng.sample(range(1, versions + 1), max(versions // 100, 1))
        ]
        Decision.objects.bulk_create(decisions, batch_size=1000)
        progress.advance(task, len(decisions))

        # The history: a pool of real answers, assessed a year before the bench's day, copied
        # on the server into about nine older snapshots per version.
        task = progress.add_task("history: answers", total=HISTORY_POOL)
        pool = _history_pool(ModelVersion, rng, versions, lambda: progress.advance(task))
        task = progress.add_task("history: snapshots", total=1)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_pool AS SELECT * FROM registry_assessment WITH NO DATA"
            )
            cursor.execute("ALTER TABLE bench_pool ADD COLUMN n integer")
        columns = list(pool[0])
        _copy(
            "bench_pool",
            [*columns, "n"],
            ([row[c] for c in columns] + [n] for n, row in enumerate(pool)),
            lambda: None,
        )
        cols = ", ".join(c for c in columns if c not in {"version_id", "as_of", "computed_at"})
        with connection.cursor() as cursor:
            # (id * 7919) mod 19 older snapshots per version: 0 to 18, nine on average.
            cursor.execute(
                f"""
                INSERT INTO registry_assessment (version_id, as_of, computed_at, {cols})
                SELECT v.id, p.as_of - (30 * g.k)::int,
                       p.computed_at - make_interval(days => (30 * g.k)::int),
                       {", ".join("p." + c for c in cols.split(", "))}
                FROM registry_modelversion v
                CROSS JOIN LATERAL generate_series(1, (v.id * 7919) % 19) AS g(k)
                JOIN bench_pool p ON p.n = (v.id * 31 + g.k) % {len(pool)}
                """  # noqa: S608  (column names and numbers made here)
            )
            history = cursor.rowcount
            cursor.execute("ANALYZE")
        progress.advance(task)
    staff = make_user(Role.HEAD_OF_UNIT, "bench-staff")
    token = accounts.api_token_create(actor=staff, user=staff, name="bench").secret
    return {
        "providers": providers,
        "models": list(GPAIModel.objects.values_list("id", flat=True)),
        "history": history,
        "token": token,
    }


def _history_pool(model: Any, rng: random.Random, versions: int, step: Any) -> list[dict[str, Any]]:
    """Real snapshots (not saved) of up to HISTORY_POOL versions, a year before the bench's
    day and under an earlier rules version, as COPY rows keyed by column."""
    from aiact import assess_model, load_law
    from aioffice.registry.models import encode_answer
    from aioffice.registry.selectors import check_facts, procedures_of, version_facts
    from aioffice.registry.services import _snapshot

    law = load_law()
    day = DAY - timedelta(days=365)
    picked = rng.sample(range(1, versions + 1), min(HISTORY_POOL, versions))
    chosen = model.objects.select_related(
        "model__provider__organisation", "modifies__current_assessment"
    ).filter(pk__in=picked)
    procedures = procedures_of(picked)
    rows: list[dict[str, Any]] = []
    for version in chosen:
        facts = version_facts(version, law=law, as_of=day, procedure=procedures[version.pk])
        answer = assess_model(check_facts(facts), law=law)
        snapshot = _snapshot(version, facts, answer, law, day, f"{day.isoformat()}T12:00:00Z")
        row = {f.attname: getattr(snapshot, f.attname) for f in snapshot._meta.concrete_fields}
        del row["id"]
        row["result"] = encode_answer(row["result"])
        row["facts"] = json.dumps(row["facts"])
        row["obligations"] = json.dumps(row["obligations"])
        row["rules_version"] = f"{row['rules_version']}+earlier"
        rows.append(row)
        step()
    return rows


# --- the reassessment ---------------------------------------------------------------------------


def reassess(env: dict[str, str], title: str, day: date = DAY) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command)
        [str(BIN / "aioffice"), "registry", "reassess", "--as-of", day.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    if done.returncode != 0:
        raise SystemExit(f"reassess failed ({done.returncode}): {done.stderr[-2000:]}")
    print(f"reassess, {title}: {seconds:.1f} s — {summary}", flush=True)
    return seconds, summary


# --- the clients --------------------------------------------------------------------------------


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603  (our own command)
        [
            str(BIN / "gunicorn"),
            "aioffice.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/status")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


def _load(
    port: int, paths: Any, headers: dict[str, str], clients: int, seconds: float
) -> tuple[list[float], int, float]:
    """`clients` threads send requests for `seconds`; latencies in ms, errors, wall time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        bad = 0
        while time.perf_counter() < stop:
            path = paths(rng)
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            finally:
                conn.close()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0], time.perf_counter() - started


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", default="full", help=f"{', '.join(SCALES)} or a number of versions"
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="per endpoint")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="leave the database for a look")
    args = parser.parse_args(argv)
    versions = SCALES[args.scale] if args.scale in SCALES else int(args.scale)

    print(f"registry bench: {versions:,} versions; load average {_uptime()}", flush=True)
    url = _create_database(args.admin_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "registry_settings",
        "AIOFFICE_DEBUG": "0",
        "AIOFFICE_SECRET_KEY": secrets.token_urlsafe(32),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
    }
    os.environ.update(env)
    try:
        import django

        sys.path.insert(0, str(ROOT / "bench"))
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        data = generate(versions, args.seed)
        print(
            f"generated in {time.perf_counter() - started:.0f} s: {data['providers']:,} providers, "
            f"{len(data['models']):,} models, {versions:,} versions, "
            f"{data['history']:,} older snapshots",
            flush=True,
        )
        connection.close()

        figures: dict[str, Any] = {}
        figures["first"] = reassess(env, "first run (every version assessed)")
        figures["unchanged"] = reassess(env, "nothing changed (same day)")
        # The next day aiact is asked again for every version (a period may have ended).
        later = DAY + timedelta(days=1)
        figures["next day"] = reassess(env, "nothing changed (next day)", later)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_organisation SET established_in_union = NOT established_in_union,"
                " country = CASE WHEN established_in_union THEN 'US' ELSE 'FR' END"
                " WHERE id IN (SELECT organisation_id FROM registry_provider)"
            )
        connection.close()
        figures["changed"] = reassess(env, "everything changed (providers moved)", later)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM registry_assessment")
            total = cursor.fetchone()[0]
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('registry_assessment'))")
            size = cursor.fetchone()[0]
            cursor.execute(
                "SELECT COUNT(*) FROM registry_modelversion v JOIN registry_assessment a"
                " ON a.id = v.current_assessment_id"
                " WHERE a.systemic_risk_status IN ('presumed', 'confirmed', 'designated')"
            )
            public = cursor.fetchone()[0]
            cursor.execute(
                "SELECT COUNT(*) FROM registry_modelversion WHERE systemic_risk_status = 'presumed'"
            )
            presumed = cursor.fetchone()[0]
            cursor.execute("VACUUM ANALYZE")
        connection.close()
        print(
            f"assessments stored: {total:,} ({size} with indexes); on the public list: {public:,}",
            flush=True,
        )

        presumed_pages = max(1, presumed // 50)  # the API's page size
        public_pages = max(1, public // 50)  # the API's and the page's
        models = data["models"]
        endpoints = {
            "version list (status filter, random page)": (
                lambda rng: (
                    "/api/v1/registry/versions?systemic_risk_status=presumed"
                    f"&page={rng.randint(1, presumed_pages)}"
                ),
                {"Authorization": f"Bearer {data['token']}"},
            ),
            "model detail (random model)": (
                lambda rng: f"/api/v1/registry/models/{rng.choice(models)}",
                {"Authorization": f"Bearer {data['token']}"},
            ),
            "public list, API (random page)": (
                lambda rng: (
                    f"/api/v1/registry/systemic-risk-models?page={rng.randint(1, public_pages)}"
                ),
                {},
            ),
            "public list, page (random page)": (
                lambda rng: f"/registers/systemic-risk-models/?page={rng.randint(1, public_pages)}",
                {},
            ),
        }
        server = _serve(env, args.port, args.workers)
        try:
            print(
                f"\n{args.clients} clients, {args.workers} gunicorn workers, "
                f"{args.seconds:.0f} s per endpoint; load average {_uptime()}"
            )
            print(f"{'endpoint':<44} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'errors':>6}")
            for name, (paths, headers) in endpoints.items():
                _load(args.port, paths, headers, args.clients, 1.0)  # warm the workers
                latencies, errors, wall = _load(
                    args.port, paths, headers, args.clients, args.seconds
                )
                p50, p95, p99 = (_pct(latencies, p) for p in (50, 95, 99))
                print(
                    f"{name:<44} {p50:>6.1f}ms {p95:>5.1f}ms {p99:>5.1f}ms "
                    f"{len(latencies) / wall:>7.1f} {errors:>6}",
                    flush=True,
                )
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
        if args.keep:
            print(f"kept: {url}")
        else:
            _drop_database(args.admin_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
