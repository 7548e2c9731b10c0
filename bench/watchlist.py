"""Benchmark of the watch-list import: 5,000 rows against 10,000 registered models.

    .venv/bin/python bench/watchlist.py                 # 5000 rows, 10000 models
    .venv/bin/python bench/watchlist.py 500 1000        # rows, models
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/watchlist.py

Uses a new SQLite file in a temporary folder unless DATABASE_URL is set (then that database
is migrated and filled: give a fresh one). Registered models get invented names (syllables
and a number, 1,000 providers); half the rows name a registered model with its spelling
changed (case, hyphens, word order, a legal suffix), half name models that do not exist.
Prints the time and the number of SQL queries of the whole import (one transaction: store
the file, parse, flag, suggest, bulk insert), and how many name comparisons the index made
against the rows times names a plain double loop would make.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYLLABLES = [
    "zor",
    "vel",
    "quin",
    "tar",
    "mex",
    "lum",
    "ora",
    "pix",
    "dra",
    "kel",
    "sun",
    "nov",
    "bri",
    "fal",
    "gor",
    "hue",
    "isk",
    "jun",
]


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{word} {rng.randint(1, 12)}"


def main(rows: int = 5000, models: int = 10_000) -> None:
    tmp = tempfile.mkdtemp(prefix="aioffice-bench-watchlist-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("AIOFFICE_MEDIA_ROOT", f"{tmp}/media")
    os.environ.setdefault("AIOFFICE_DEBUG", "1")  # development settings: no secret key needed
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aioffice.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aioffice.accounts.models import Organisation
    from aioffice.registry.models import GPAIModel, Provider
    from aioffice.registry.watchlist import services
    from aioffice.registry.watchlist.matching import MatchIndex, candidate

    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(25)
    # Bench data straight into the tables (not through the services: no audit events).
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Imaginary Lab {i:04d}",
            kind="gpai_provider",
            country="FR",
            established_in_union=True,
        )
        for i in range(models // 10)
    )
    providers = Provider.objects.bulk_create(Provider(organisation=o) for o in organisations)
    names: set[str] = set()
    while len(names) < models:
        names.add(_name(rng))
    registered = [
        GPAIModel(provider=providers[i % len(providers)], name=name)
        for i, name in enumerate(sorted(names))
    ]
    GPAIModel.objects.bulk_create(registered, batch_size=2000)
    lines = ["Model,Organization,Publication date,Training compute (FLOP),Confidence"]
    for i in range(rows):
        if i % 2 == 0:
            at = rng.randrange(len(registered))
            word, number = registered[at].name.split(" ")
            shown = rng.choice([f"{word}-{number}", f"{number} {word}".lower(), f"{word} {number}"])
            org = f"{providers[at % len(providers)].organisation.name} Inc."
        else:
            shown, org = f"Unknown{_name(rng)}", "Nowhere Research"
        lines.append(f"{shown},{org},2026-01-01,{rng.uniform(1e23, 6e25):.3g},Likely")
    content = ("\n".join(lines) + "\n").encode()

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        made = services.watchlist_import(
            actor=None, file=ContentFile(content, name="bench.csv"), mapping=None, source="bench"
        )
    elapsed = time.perf_counter() - started
    print(f"database: {connection.vendor}; {rows} rows against {models} models")
    with_one = made.rows.filter(matches__isnull=False).distinct().count()
    print(
        f"import: {elapsed:.2f} s, {len(queries.captured_queries)} queries, "
        f"{made.suggested_count} suggestions, {with_one} rows with one"
    )

    index = MatchIndex(
        candidate(m.pk, None, m.name, m.provider.organisation.name)
        for m in GPAIModel.objects.select_related("provider__organisation")
    )
    started = time.perf_counter()
    for line in lines[1:]:
        model_name, org = line.split(",")[:2]
        index.suggest(model_name, org)
    matching = time.perf_counter() - started
    print(
        f"matching alone: {matching:.2f} s, {index.comparisons} name comparisons "
        f"(a double loop: {rows * models})"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
