"""Benchmark of the consultations' AI tools: embedding throughput and semantic search over
100,000 stored comments, on PostgreSQL or SQLite, with the engine the platform uses
(`aioffice.core.semantic`).

    .venv/bin/python bench/consultations.py                         # PostgreSQL, 100,000
    .venv/bin/python bench/consultations.py --db sqlite             # the same on SQLite
    .venv/bin/python bench/consultations.py --scale smoke --embedder lexical   # a minute
    .venv/bin/python bench/consultations.py --save-vectors v.npz    # keep the vectors, then
    .venv/bin/python bench/consultations.py --db sqlite --vectors v.npz   # store them again

What it does, in one command:

1. Creates its own database (PostgreSQL: `aioffice_bench_consultations` on the server of
   `--admin-url`, dropped first; SQLite: a file in a temporary folder) and migrates it.
2. Stores the comments as a real consultation stores them: a project, a draft with 30
   sections, three consultations (300 comments, 10,000 comments and the rest), responses
   (one to three comments each) and their `Feedback` rows, bulk-created. The texts are
   bench/consultation_texts.py's: invented, 10-120 words, 30 topics, a tenth of them
   copies (with small changes) of near-duplicate campaigns.
3. Embedding throughput: `--sample` comments (default 2,000) embedded in batches of 64 by
   the chosen model (`--embedder`, default the local MiniLM model) and by the lexical
   fallback, then every comment stored through `semantic.store_vectors` (corpus
   `drafting.feedback`, the text the analysis part embeds: comment and proposed wording),
   timed end to end (embedding and writing the rows). With `--vectors FILE` the vectors
   a previous run saved (`--save-vectors`, same seed and scale) are written as rows
   instead of embedding every comment again; the sample is still embedded and timed.
4. Search latency, p50/p95/p99: (a) cold: the first query of `--cold` fresh processes
   (loading the model is timed apart; the first search loads the index from the
   database), (b) warm: `--queries` paraphrase-like queries through `semantic.search`
   (k=10) end to end: the query's embedding, the search, and reading the hit rows
   (feedback with response and section) from the database; the query embedding alone is
   timed too, and the share of hits on the query's topic is printed as a sanity check;
   (c) the same within one consultation (`within=`, the analysis part's search box); (d)
   the analysis part's HTTP API search route through Django's test client, when it exists.
5. Grouping: near-duplicate campaigns and themes of the 300- and the 10,000-comment
   consultations (their stored vectors), timed.

Prints the figures as Markdown tables and the load average at the start and the end; drops
the database unless `--keep`.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import consultation_texts as texts
import registry as registry_bench  # bench/registry.py: the database helpers

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "aioffice_bench_consultations"
SCALES = {"full": 100_000, "medium": 20_000, "smoke": 2_000}
CORPUS = "drafting.feedback"
SECTIONS = 30
SMALL, LARGE = 300, 10_000  # the two consultations whose grouping is timed
GOAL_MS = 100.0


def _uptime() -> str:
    return registry_bench._uptime()


def _ms(values: Sequence[float]) -> str:
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return f"{at(0.5):.1f} | {at(0.95):.1f} | {at(0.99):.1f} | {ordered[-1] * 1000:.1f}"


def _feedback_text(comment: str, wording: str) -> str:
    return f"{comment}\n{wording}".strip()


# --- the data ----------------------------------------------------------------------------------


def _comments(count: int, distinct: int, seed: int) -> list[texts.Comment]:
    """`count` comments of which the first `distinct` are generated and the rest repeat
    them in order (comment i has the text of comment i % distinct)."""
    titles = [f"Measure {i + 1}" for i in range(SECTIONS)]
    made = texts.comments(min(count, distinct), seed=seed, sections=titles)
    return [made[i % len(made)] for i in range(count)]


def generate(count: int, distinct: int, seed: int) -> dict[str, Any]:
    """The project, its draft, three consultations and `count` comments; returns the
    comments (in id order), their ids and the consultations' ids."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from aioffice.drafting.choices import (
        LegalBasis,
        ProjectKind,
        StakeholderCategory,
        Visibility,
    )
    from aioffice.drafting.models_consultations import (
        Audience,
        Channel,
        Confidentiality,
        Consultation,
        Feedback,
        IdentityCheck,
        Response,
    )
    from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
    from aioffice.drafting.models_projects import Project

    user = get_user_model().objects.create_user(username="bench-office", password=None)
    project = Project.objects.create(
        slug="bench-code",
        title="Bench code of practice (demo data)",
        kind=ProjectKind.CODE_OF_PRACTICE,
        legal_basis=LegalBasis.ART56,
        public=True,
        created_by=user,
    )
    draft = Draft.objects.create(
        project=project,
        number=1,
        title="Bench draft 1 (demo data)",
        status=DraftStatus.PUBLISHED,
        visibility=Visibility.PUBLIC,
        created_by=user,
    )
    Section.objects.bulk_create(
        Section(
            draft=draft,
            key=f"measure-{i + 1}",
            kind=SectionKind.MEASURE,
            number=f"{i + 1}",
            title=f"Measure {i + 1}",
            text=f"The measure {i + 1} of the bench draft (demo data).",
            position=i + 1,
        )
        for i in range(SECTIONS)
    )
    section_ids = [s.pk for s in Section.objects.filter(draft=draft).order_by("position")]
    now = timezone.now()
    sizes = [min(SMALL, count), min(LARGE, max(0, count - SMALL))]
    sizes.append(max(0, count - sum(sizes)))
    consultations = [
        Consultation.objects.create(
            draft=draft,
            title=f"Bench consultation of {size:,} comments (demo data)",
            audience=Audience.PUBLIC,
            opens_at=now - timedelta(days=40),
            closes_at=now - timedelta(days=10),
            created_by=user,
        )
        for size in sizes
    ]
    made = _comments(count, distinct, seed)
    categories = [c for c, _ in StakeholderCategory.choices]
    confidentialities = [Confidentiality.PUBLIC] * 6 + [Confidentiality.ANONYMOUS] * 3
    confidentialities.append(Confidentiality.CONFIDENTIAL)
    from rich.progress import track

    # responses of one to three comments, in order; each consultation gets its share
    responses: list[Response] = []
    owners: list[int] = []  # the response index of each comment
    position = 0
    for consultation, size in zip(consultations, sizes, strict=True):
        end = position + size
        while position < end:
            items = min(end - position, 1 + position % 3)
            number = len(responses)
            responses.append(
                Response(
                    consultation=consultation,
                    reference=f"B{consultation.pk}-{number:07d}",
                    name=f"Respondent {number} (demo data)",
                    category=categories[number % len(categories)],
                    identity_check=IdentityCheck.EMAIL_UNCONFIRMED,
                    confidentiality=confidentialities[number % len(confidentialities)],
                    channel=Channel.IMPORT,
                    submitted_at=now - timedelta(days=20, minutes=number),
                )
            )
            owners.extend([number] * items)
            position += items
    batch = 5_000
    for start in track(range(0, len(responses), batch), description="responses"):
        Response.objects.bulk_create(responses[start : start + batch])
    response_ids = list(Response.objects.order_by("id").values_list("id", flat=True))
    rows = [
        Feedback(
            response_id=response_ids[owner],
            section_id=section_ids[comment.section] if i % 7 else None,
            position=comment.position,
            comment=comment.text,
        )
        for i, (comment, owner) in enumerate(zip(made, owners, strict=True))
    ]
    for start in track(range(0, len(rows), batch), description="feedback"):
        Feedback.objects.bulk_create(rows[start : start + batch])
    feedback_ids = list(Feedback.objects.order_by("id").values_list("id", flat=True))
    by_consultation = []
    start = 0
    for size in sizes:
        by_consultation.append(feedback_ids[start : start + size])
        start += size
    return {
        "comments": made,
        "ids": feedback_ids,
        "consultations": [c.pk for c in consultations],
        "by_consultation": by_consultation,
        "sizes": sizes,
    }


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- embedding ---------------------------------------------------------------------------------


def throughput(embedder: Any, sample: Sequence[str], batch: int = 64) -> float:
    """Comments a second, embedded in batches (the model loaded before timing)."""
    embedder.embed(sample[:batch])  # warm: first batch allocations, lazy loading
    started = time.perf_counter()
    for start in range(0, len(sample), batch):
        embedder.embed(sample[start : start + batch])
    return len(sample) / (time.perf_counter() - started)


def store_all(data: dict[str, Any], embedder: Any, distinct: int) -> float:
    """The first `distinct` comments through `semantic.store_vectors`; comments a second end
    to end. The repeats after them get a copy of their text's row (same SHA-256, same
    vector), as store_vectors would have made, without embedding the text again."""
    from rich.progress import Progress

    from aioffice.core import semantic
    from aioffice.core.models import SemanticVector

    items = [
        (pk, _feedback_text(c.text, ""))
        for pk, c in zip(data["ids"][:distinct], data["comments"][:distinct], strict=True)
    ]
    with Progress() as progress:
        task = progress.add_task(f"store_vectors ({embedder.name})", total=len(items))
        started = time.perf_counter()
        semantic.store_vectors(
            CORPUS,
            items,
            embedder=embedder,
            batch_size=64,
            progress=lambda n: progress.advance(task, n),
        )
        spent = time.perf_counter() - started
    if distinct < len(data["ids"]):
        made = dict(
            SemanticVector.objects.filter(corpus=CORPUS, model=embedder.name).values_list(
                "object_id", "vector"
            )
        )
        rows = [
            SemanticVector(
                corpus=CORPUS,
                object_id=pk,
                model=embedder.name,
                text_sha256=semantic.text_sha256(_feedback_text(comment.text, "")),
                vector=bytes(made[data["ids"][i % distinct]]),
            )
            for i, (pk, comment) in enumerate(zip(data["ids"], data["comments"], strict=True))
            if i >= distinct
        ]
        for start in range(0, len(rows), 5_000):
            SemanticVector.objects.bulk_create(rows[start : start + 5_000])
    return len(items) / spent


def save_vectors(path: Path, data: dict[str, Any], model: str) -> None:
    import numpy as np

    from aioffice.core.models import SemanticVector

    position = {pk: i for i, pk in enumerate(data["ids"])}
    rows = SemanticVector.objects.filter(corpus=CORPUS, model=model).values_list(
        "object_id", "text_sha256", "vector"
    )
    shas: list[str] = [""] * len(position)
    blobs: list[bytes] = [b""] * len(position)
    for object_id, sha, blob in rows.iterator(chunk_size=5_000):
        i = position[object_id]
        shas[i], blobs[i] = sha, bytes(blob)
    np.savez(
        path,
        model=np.array(model),
        count=np.array(len(position)),
        sha=np.array(shas),
        vectors=np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(position), -1),
    )


def write_saved_vectors(path: Path, data: dict[str, Any]) -> float:
    """The saved vectors written as rows (same objects, same texts: checked by SHA-256);
    rows a second."""
    import numpy as np
    from rich.progress import track

    from aioffice.core import semantic
    from aioffice.core.models import SemanticVector

    saved = np.load(path)
    if int(saved["count"]) != len(data["ids"]):
        raise SystemExit(f"{path}: {int(saved['count'])} vectors, {len(data['ids'])} comments")
    model = str(saved["model"])
    started = time.perf_counter()
    rows = []
    for i, (pk, comment) in enumerate(zip(data["ids"], data["comments"], strict=True)):
        sha = semantic.text_sha256(_feedback_text(comment.text, ""))
        if sha != saved["sha"][i]:
            raise SystemExit(f"{path}: comment {i} differs (another seed or scale?)")
        rows.append(
            SemanticVector(
                corpus=CORPUS,
                object_id=pk,
                model=model,
                text_sha256=sha,
                vector=saved["vectors"][i].astype(np.float32).tobytes(),
            )
        )
    for start in track(range(0, len(rows), 5_000), description=f"vectors ({model})"):
        SemanticVector.objects.bulk_create(rows[start : start + 5_000])
    return len(rows) / (time.perf_counter() - started)


# --- search ------------------------------------------------------------------------------------


def _hit_rows(hits: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The hit rows as a results page reads them."""
    from aioffice.drafting.models_consultations import Feedback

    ids = [hit.object_id for hit in hits]
    rows = {
        row[0]: row
        for row in Feedback.objects.filter(pk__in=ids).values_list(
            "id",
            "position",
            "comment",
            "proposed_wording",
            "section__number",
            "section__title",
            "response__reference",
            "response__confidentiality",
            "response__consultation_id",
        )
    }
    return [rows[i] for i in ids if i in rows]


def search_latency(
    data: dict[str, Any],
    embedder: Any,
    queries: Sequence[tuple[str, int]],
    within: Sequence[int] | None = None,
) -> dict[str, Any]:
    from aioffice.core import semantic

    topic_of = {pk: c.topic for pk, c in zip(data["ids"], data["comments"], strict=True)}
    scope = set(within) if within is not None else None
    first = time.perf_counter()
    semantic.search(CORPUS, queries[0][0], k=10, within=scope, embedder=embedder)
    first_spent = time.perf_counter() - first
    spent, embed_only, on_topic, hits_seen = [], [], 0, 0
    cpu = 0.0
    for query, topic in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        hits = semantic.search(CORPUS, query, k=10, within=scope, embedder=embedder)
        rows = _hit_rows(hits)
        spent.append(time.perf_counter() - started)
        cpu += time.process_time() - cpu_started
        started = time.perf_counter()
        embedder.embed([query])
        embed_only.append(time.perf_counter() - started)
        on_topic += sum(topic_of[row[0]] == topic for row in rows)
        hits_seen += len(rows)
    return {
        "cpu": cpu / len(queries),
        "first": first_spent,
        "spent": spent,
        "embed": embed_only,
        "on_topic": on_topic / max(1, hits_seen),
    }


def api_latency(data: dict[str, Any], queries: Sequence[tuple[str, int]]) -> dict[str, Any]:
    """The analysis part's search route through the test client, if it exists."""
    from aioffice.api import api
    from aioffice.core.testing import api_routes, make_user, signed_in_client

    try:
        routes = {path for _method, path in api_routes(api, "/api/v1/drafting/analysis/")}
    except Exception as exc:  # noqa: BLE001 (the API's schema is another part's, in progress)
        print(f"API routes not readable: {type(exc).__name__}: {str(exc)[:120]}")
        return {"route": None}
    route = next((p for p in sorted(routes) if "search" in p), None)
    if route is None:
        return {"route": None}
    from aioffice.accounts.choices import Role
    from aioffice.accounts.models import User

    staff = User.objects.filter(username="bench-staff").first()  # a kept database's
    client = signed_in_client(staff or make_user(Role.POLICY_OFFICER, "bench-staff"))
    consultation = data["consultations"][2]
    path = route.replace("{consultation_id}", str(consultation)).replace("{pk}", str(consultation))
    spent, statuses = [], {}
    for query, _topic in queries:
        started = time.perf_counter()
        answer = client.get(path, {"q": query, "k": 10})
        spent.append(time.perf_counter() - started)
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    return {"route": path, "spent": spent, "statuses": statuses}


def cold_probe(embedder_name: str, query: str) -> None:
    """Run in a fresh process: the model's load, then the first and second searches."""
    started = time.perf_counter()
    from aioffice.core import semantic

    embedder = semantic.get_embedder(embedder_name)
    embedder.embed(["warm the model"])
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    hits = semantic.search(CORPUS, query, k=10, embedder=embedder)
    _hit_rows(hits)
    first = time.perf_counter() - started
    started = time.perf_counter()
    _hit_rows(semantic.search(CORPUS, query + " again", k=10, embedder=embedder))
    second = time.perf_counter() - started
    print(json.dumps({"load": loaded, "first": first, "second": second}))


def cold_runs(
    runs: int, embedder_name: str, queries: Sequence[tuple[str, int]]
) -> list[dict[str, float]]:
    results = []
    for run in range(runs):
        answer = subprocess.run(  # noqa: S603 (this script, the bench's own arguments)
            [
                sys.executable,
                __file__,
                "--cold-probe",
                queries[run][0],
                "--embedder",
                embedder_name,
            ],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        results.append(json.loads(answer.stdout.strip().splitlines()[-1]))
    return results


# --- grouping ----------------------------------------------------------------------------------


def grouping(ids: Sequence[int], embedder: Any) -> dict[str, float]:
    """Near-duplicate campaigns and themes of one consultation's stored vectors."""
    from aioffice.core import semantic

    timings: dict[str, float] = {}
    started = time.perf_counter()
    found, matrix = semantic.load_vectors(CORPUS, ids, embedder=embedder)
    timings["read vectors"] = time.perf_counter() - started
    started = time.perf_counter()
    campaigns = semantic.near_duplicates(found, matrix, model=embedder.name)
    timings["near_duplicates"] = time.perf_counter() - started
    started = time.perf_counter()
    themes = semantic.themes(found, matrix, model=embedder.name)
    timings["themes"] = time.perf_counter() - started
    timings["campaigns found"] = float(len(campaigns.groups))
    timings["themes found"] = float(len(themes.groups))
    return timings


# --- the run -----------------------------------------------------------------------------------


def existing(count: int, distinct: int, seed: int) -> dict[str, Any]:
    """A kept database's comments (`--reuse`): the texts made again from the seed, the ids
    read back."""
    from aioffice.drafting.models_consultations import Consultation, Feedback

    consultations = list(Consultation.objects.order_by("id").values_list("id", flat=True))
    ids, by_consultation, sizes = [], [], []
    for pk in consultations:
        chunk = list(
            Feedback.objects.filter(response__consultation_id=pk)
            .order_by("id")
            .values_list("id", flat=True)
        )
        ids.extend(chunk)
        by_consultation.append(chunk)
        sizes.append(len(chunk))
    if len(ids) != count:
        raise SystemExit(f"the kept database holds {len(ids):,} comments, not {count:,}")
    made = _comments(count, distinct, seed)
    return {
        "comments": made,
        "ids": ids,
        "consultations": consultations,
        "by_consultation": by_consultation,
        "sizes": sizes,
    }


def run(args: argparse.Namespace, count: int) -> None:
    from aioffice.core import semantic

    distinct = min(count, args.distinct or count)
    started = time.perf_counter()
    if args.reuse:
        data = existing(count, distinct, args.seed)
    else:
        data = generate(count, distinct, args.seed)
        print(
            f"generated in {time.perf_counter() - started:.0f} s: {len(data['ids']):,} "
            f"comments in consultations of {', '.join(f'{n:,}' for n in data['sizes'])}",
            flush=True,
        )
        _analyse()
    sample = [c.text for c in data["comments"][: args.sample]]
    started = time.perf_counter()
    embedder = semantic.get_embedder(args.embedder)
    embedder.embed(["load the model"])
    print(f"model {embedder.name} loaded in {time.perf_counter() - started:.1f} s", flush=True)
    lexical = semantic.get_embedder("lexical")
    rates = {lexical.name: throughput(lexical, sample)}
    if embedder.name != lexical.name:
        rates[embedder.name] = throughput(embedder, sample)
    print(f"\n| model | comments/s (embed only, {len(sample):,} comments, batch 64) |")
    print("|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:,.0f} |")
    if args.reuse:
        print("\nvectors: those the kept database holds", flush=True)
    elif args.vectors:
        rate = write_saved_vectors(Path(args.vectors), data)
        print(f"\nvectors from {args.vectors}: {rate:,.0f} rows/s written", flush=True)
    else:
        rate = store_all(data, embedder, distinct)
        copies = f", {count - distinct:,} repeats' rows copied" if distinct < count else ""
        print(
            f"\nstore_vectors ({embedder.name}, {distinct:,} comments): {rate:,.0f} "
            f"comments/s, end to end{copies}",
            flush=True,
        )
    if args.save_vectors:
        save_vectors(Path(args.save_vectors), data, embedder.name)
    _analyse()
    queries = texts.queries(args.queries, seed=args.seed)
    print(f"\nsearch, k=10, {len(queries)} queries; load average {_uptime()}", flush=True)
    print("\n| what | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    whole = search_latency(data, embedder, queries)
    print(f"| (b) warm, all {count:,}: search + hit rows | {_ms(whole['spent'])} |")
    print(f"| of which the query's embedding | {_ms(whole['embed'])} |", flush=True)
    print(f"| CPU time of this process a query (mean) | {whole['cpu'] * 1000:.1f} | | | |")
    inside = search_latency(data, embedder, queries, within=data["by_consultation"][1])
    size = data["sizes"][1]
    print(f"| (c) warm, within the {size:,}-comment consultation | {_ms(inside['spent'])} |")
    http = api_latency(data, queries)
    if http["route"]:
        print(f"| (d) API {http['route']} (test client) | {_ms(http['spent'])} |")
    print(
        f"\nfirst query in this process (after storing): {whole['first'] * 1000:.0f} ms; "
        f"hits on the query's topic: {whole['on_topic']:.0%} (all), {inside['on_topic']:.0%} "
        "(within)"
    )
    if http["route"]:
        print(f"API statuses: {http['statuses']}")
    else:
        print("API: the analysis part has no search route yet")
    from django.db import connections

    connections.close_all()
    cold = cold_runs(args.cold, embedder.name if args.embedder is None else args.embedder, queries)
    print(f"\n(a) cold, {len(cold)} fresh processes: model load | first search + rows | second")
    for probe in cold:
        print(
            f"    {probe['load']:.1f} s | {probe['first'] * 1000:.0f} ms | "
            f"{probe['second'] * 1000:.1f} ms"
        )
    print("\n| grouping | comments | read vectors s | near_duplicates s | themes s | found |")
    print("|---|---|---|---|---|---|")
    for ids in data["by_consultation"][:2]:
        if not ids:
            continue
        timings = grouping(ids, embedder)
        print(
            f"| {embedder.name} | {len(ids):,} | {timings['read vectors']:.2f} | "
            f"{timings['near_duplicates']:.2f} | {timings['themes']:.2f} | "
            f"{timings['campaigns found']:.0f} campaigns, {timings['themes found']:.0f} themes |"
        )
    p95 = sorted(whole["spent"])[int(0.95 * len(whole["spent"]))] * 1000
    verdict = "met" if p95 <= GOAL_MS else "missed"
    print(f"\nwarm p95 over {count:,}: {p95:.0f} ms (goal {GOAL_MS:.0f} ms: {verdict})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scale", default="full", help=f"{', '.join(SCALES)} or a number")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--embedder", default=None, help="minilm, lexical (default: the setting)")
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument(
        "--distinct", type=int, default=0, help="distinct texts (the rest repeat them)"
    )
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--vectors", default="", help="store the vectors saved in this file")
    parser.add_argument("--save-vectors", default="", help="save the stored vectors here")
    parser.add_argument("--sqlite-dir", default="", help="where the SQLite file goes (--keep)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    parser.add_argument("--cold-probe", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_probe:  # a fresh process started by cold_runs (the environment is set)
        import django

        django.setup()
        cold_probe(args.embedder, args.cold_probe)
        return 0
    count = SCALES[args.scale] if args.scale in SCALES else int(args.scale)
    print(f"consultations bench ({args.db}): load average {_uptime()}", flush=True)
    registry_bench.DB_NAME = DB_NAME
    folder = ""
    if args.db == "sqlite":
        folder = args.sqlite_dir or tempfile.mkdtemp(prefix="aioffice-bench-consult-")
        path = Path(folder) / "database.sqlite3"
        if path.exists() and not args.reuse:
            path.unlink()
        url = f"sqlite:///{path}"
    elif args.reuse:
        url = args.admin_url.rsplit("/", 1)[0] + "/" + DB_NAME
    else:
        url = registry_bench._create_database(args.admin_url)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "registry_settings",
            "AIOFFICE_DEBUG": "0",
            "AIOFFICE_SECRET_KEY": secrets.token_urlsafe(32),
            # the API's search embeds the query with the setting's model
            "AIOFFICE_EMBEDDER": args.embedder or "auto",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
        }
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        if not args.reuse:
            call_command("migrate", verbosity=0)
        run(args, count)
        print(f"load average at the end {_uptime()}")
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep or args.reuse:
            print(f"kept: {url}")
        elif args.db == "sqlite":
            shutil.rmtree(folder, ignore_errors=True)
        else:
            registry_bench._drop_database(args.admin_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
