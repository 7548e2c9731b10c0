"""Benchmark of the public portal on PostgreSQL: the register page and the checker's result
page under 50 concurrent clients, with 100,000 registered model versions.

    .venv/bin/python bench/portal.py                    # the issue's scale (--scale full)
    .venv/bin/python bench/portal.py --scale smoke      # 2,000 versions, a minute or two

What it does, in one command:

1. Creates its own database (`aioffice_bench_portal`, dropped first if it exists) on the
   server of `--admin-url`, migrates it and fills it with bench/registry.py's generator
   (providers, models, versions with varied facts, Art. 52 decisions, about nine older
   snapshots per version), then runs `aioffice registry reassess` once, so that every
   version has its current assessment and the audit trail its events, as on a real
   register.
2. Serves the platform with gunicorn (sync workers, `AIOFFICE_DEBUG` off,
   `bench/portal_settings.py`, Django's cache in a folder the workers share unless
   `--cache memory`) and sends `--clients` concurrent clients (threads, one plain GET per
   connection, no cookies: first-time visitors) at each page for `--seconds`, after
   `--warm` seconds of the same load (30 by default): the public register of models with
   systemic risk (a random page over the whole list, in English, French or German), then
   the compliance checker's result page (a random example of the checker, in one of the
   three languages).
3. Prints p50/p95/p99, requests per second and errors per page, with the load average at
   the start and the end, and the CPU time a request cost the server, the database and the
   clients (what the latency would be on an idle machine follows from it); drops the
   database unless `--keep`. `--reuse` skips 1 and serves a database kept by an earlier
   `--keep` run.

Clients, gunicorn and PostgreSQL share the machine's cores: with 50 clients always waiting
on 2 cores, a request's latency is about 50 * (CPU per request) / 2.
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

import registry as registry_bench  # bench/registry.py: the generator, server and clients

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "aioffice_bench_portal"
LANGUAGES = ("en", "fr", "de")
PAGE_SIZE = 50  # the register page's


def _in_language(path: str, language: str) -> str:
    """The path under a language prefix (English has none: `prefix_default_language=False`)."""
    for code in LANGUAGES:
        if path.startswith(f"/{code}/"):
            path = path[len(code) + 1 :]
    return path if language == "en" else f"/{language}{path}"


def register_paths(public: int) -> Callable[[random.Random], str]:
    """A random page of the register over the whole list, in a random language."""
    from django.urls import reverse

    base = reverse("registry:systemic_risk_models")
    pages = max(1, -(-public // PAGE_SIZE))
    return lambda rng: f"{_in_language(base, rng.choice(LANGUAGES))}?page={rng.randint(1, pages)}"


def checker_paths() -> Callable[[random.Random], str] | str:
    """A random example's result page in a random language, or why there is none: the
    checker (src/aioffice/portal/checker) provides `EXAMPLES` (name -> example with its
    flow and answers) and `result_path(flow, answers)`."""
    from django.utils import translation

    try:
        from aioffice.portal.checker import examples
    except ImportError as exc:
        return f"the compliance checker is not there yet ({exc})"
    result_path = getattr(examples, "result_path", None)
    if result_path is None:
        try:
            from aioffice.portal.checker import result_path
        except ImportError as exc:
            return f"the compliance checker has no result_path(flow, answers) ({exc})"
    paths = []
    for example in examples.EXAMPLES.values():
        flow, answers = _get(example, "flow"), _get(example, "answers")
        for language in LANGUAGES:
            with translation.override(language):
                paths.append(_in_language(result_path(flow, answers), language))
    if not paths:
        return "the compliance checker has no examples"
    return lambda rng: rng.choice(paths)


def _get(example: Any, name: str) -> Any:
    return example[name] if isinstance(example, dict) else getattr(example, name)


def _prepare(versions: int, seed: int, env: dict[str, str]) -> None:
    """Migrate, generate, assess every version once (bench/registry.py's steps 1-3)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = registry_bench.generate(versions, seed)
    print(
        f"generated in {time.perf_counter() - started:.0f} s: {data['providers']:,} providers, "
        f"{len(data['models']):,} models, {versions:,} versions, "
        f"{data['history']:,} older snapshots",
        flush=True,
    )
    connection.close()
    registry_bench.reassess(env, "every version assessed")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def _listed() -> int:
    from aioffice.registry.choices import PUBLIC_LIST_STATUSES
    from aioffice.registry.models import ModelVersion

    return ModelVersion.objects.filter(systemic_risk_status__in=PUBLIC_LIST_STATUSES).count()


def _cpu_seconds(pids: Sequence[int]) -> float:
    """User and system CPU time the processes have used (Linux's /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _workers(server: int) -> list[int]:
    """The gunicorn master and its workers."""
    found = [server]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def _backends() -> list[int]:
    """The PostgreSQL processes serving the bench's database, but this one's own."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return pids


def _measure(
    port: int,
    server: int,
    name: str,
    paths: Callable[[random.Random], str],
    clients: int,
    seconds: float,
    warm: float,
) -> None:
    """Load one page; print its latencies, and the CPU time a request cost the server (the
    gunicorn workers), the database (the workers' PostgreSQL processes) and the clients:
    what the latency would be on an idle machine follows from it (clients * CPU / cores),
    whatever the neighbours ran meanwhile."""
    registry_bench._load(port, paths, {}, clients, warm)  # warm the workers (imports, cache)
    before = registry_bench._uptime()
    serving, database = _workers(server), _backends()
    cpu = [_cpu_seconds(serving), _cpu_seconds(database), time.process_time()]
    latencies, errors, wall = registry_bench._load(port, paths, {}, clients, seconds)
    spent = [
        _cpu_seconds(serving) - cpu[0],
        _cpu_seconds(database) - cpu[1],
        time.process_time() - cpu[2],
    ]
    p50, p95, p99 = (registry_bench._pct(latencies, p) for p in (50, 95, 99))
    per_request = [1000 * s / len(latencies) for s in spent]
    print(
        f"{name:<40} {p50:>6.1f}ms {p95:>6.1f}ms {p99:>6.1f}ms "
        f"{len(latencies) / wall:>7.1f} {errors:>6}   {before} -> {registry_bench._uptime()}\n"
        f"{'':<40} CPU a request: {sum(per_request):.1f} ms (server {per_request[0]:.1f}, "
        f"database {per_request[1]:.1f}, clients {per_request[2]:.1f})",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        default="full",
        help=f"{', '.join(registry_bench.SCALES)} or a number of versions",
    )
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="per page")
    parser.add_argument(
        "--warm",
        type=float,
        default=30.0,
        help="seconds of the same load before each page's measure (a server that has been "
        "up a while: the register's pages are in the cache once visited)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--reuse", action="store_true", help="serve the kept database as it is")
    parser.add_argument(
        "--pages", default="register,checker", help="which pages to load, comma-separated"
    )
    parser.add_argument(
        "--cache",
        choices=["files", "memory"],
        default="files",
        help="Django's cache in a folder the workers share (AIOFFICE_CACHE_DIR), or each "
        "worker's memory (the platform's default)",
    )
    args = parser.parse_args(argv)
    scale = args.scale
    versions = registry_bench.SCALES[scale] if scale in registry_bench.SCALES else int(scale)

    print(f"portal bench: load average {registry_bench._uptime()}", flush=True)
    registry_bench.DB_NAME = DB_NAME  # its database helpers create and drop this one
    if args.reuse:
        url = args.admin_url.rsplit("/", 1)[0] + "/" + DB_NAME
    else:
        print(f"{versions:,} versions", flush=True)
        url = registry_bench._create_database(args.admin_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "portal_settings",
        "AIOFFICE_DEBUG": "0",
        "AIOFFICE_SECRET_KEY": secrets.token_urlsafe(32),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
    }
    cache_dir = tempfile.mkdtemp(prefix="aioffice-bench-cache-") if args.cache == "files" else ""
    env["AIOFFICE_CACHE_DIR"] = cache_dir
    os.environ.update(env)
    keep = args.keep or args.reuse
    try:
        import django

        django.setup()
        if not args.reuse:
            _prepare(versions, args.seed, env)
        public = _listed()
        print(f"on the public list: {public:,} versions", flush=True)
        pages: dict[str, Callable[[random.Random], str] | str] = {}
        wanted = args.pages.split(",")
        if "register" in wanted:
            pages["register page (random page, en/fr/de)"] = register_paths(public)
        if "checker" in wanted:
            pages["checker result (random example, en/fr/de)"] = checker_paths()
        from django.db import connections

        connections.close_all()
        server = registry_bench._serve(env, args.port, args.workers)
        try:
            print(
                f"\n{args.clients} clients, {args.workers} gunicorn workers, "
                f"{args.seconds:.0f} s per page, cache: "
                + (f"files ({cache_dir})" if cache_dir else "each worker's memory")
            )
            print(
                f"{'page':<40} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7} {'errors':>6}"
                "   load average"
            )
            for name, paths in pages.items():
                if isinstance(paths, str):
                    print(f"{name:<40} not measured: {paths}", flush=True)
                    continue
                _measure(args.port, server.pid, name, paths, args.clients, args.seconds, args.warm)
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        print(f"load average at the end {registry_bench._uptime()}")
    finally:
        from django.db import connections

        connections.close_all()
        if cache_dir:
            shutil.rmtree(cache_dir, ignore_errors=True)
        if keep:
            print(f"kept: {url}")
        else:
            registry_bench._drop_database(args.admin_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
