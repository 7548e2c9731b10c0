"""Every change to the watch-list goes through these functions; each writes the audit trail.

An import is stored first (`watchlist_stage`: the file under MEDIA_ROOT with its SHA-256,
its header read) and then its rows are read with a column mapping
(`watchlist_import_rows`); `watchlist_import` does both in one transaction. Legal values
are aiact's (`flags`); names are compared by `matching`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from aioffice.core import audit
from aioffice.core.files import digest_upload, removed_on_failure, store_checked
from aioffice.registry.models import GPAIModel, ModelVersion
from aioffice.registry.watchlist import matching
from aioffice.registry.watchlist.choices import Field, ImportStatus, MatchStatus
from aioffice.registry.watchlist.flags import band_of, threshold_on
from aioffice.registry.watchlist.models import Match, WatchlistImport, WatchlistRow
from aioffice.registry.watchlist.parsing import (
    CsvError,
    check_mapping,
    default_mapping,
    parse_row,
    read_csv,
)

# An import's file: at most this many bytes and rows (a public dataset has a few thousand).
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# What browsers and clients send for a CSV file; a file without a type (the CLI) is read.
CONTENT_TYPES = frozenset(
    {
        "text/csv",
        "text/plain",
        "text/tab-separated-values",
        "application/csv",
        "application/vnd.ms-excel",
        "application/octet-stream",
    }
)
BATCH = 1000

Progress = Callable[[int, int], None]


def _digest(document: File) -> tuple[str, int, bytes]:  # type: ignore[type-arg]  # any content
    found = digest_upload(document, field="file", max_bytes=MAX_BYTES, head_bytes=0)
    content = document.read()
    document.seek(0)
    return found.sha256, found.size, content if isinstance(content, bytes) else content.encode()


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {"file": f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read)."}
        ) from None


def _import_data(made: WatchlistImport) -> dict[str, Any]:
    return {
        "file": made.file.name,
        "original_name": made.original_name,
        "sha256": made.sha256,
        "size": made.size,
        "source_name": made.source_name,
        "source_url": made.source_url,
        "retrieved_on": made.retrieved_on,
        "status": made.status,
        "mapping": dict(made.mapping),
        "as_of": made.as_of,
        "threshold_flop": made.threshold_flop,
        "margin": made.margin,
        "rules_version": made.rules_version,
        "row_count": made.row_count,
        "error_row_count": made.error_row_count,
        "suggested_count": made.suggested_count,
    }


def watchlist_stage(
    *,
    actor: Any,
    file: File,  # type: ignore[type-arg]  # any content
    source: str,
    source_url: str = "",
    retrieved_on: date | None = None,
) -> WatchlistImport:
    """Store a CSV file of compute estimates and read its header (no rows yet).

    Refused, naming the field: no source, a file too large, of another type, not UTF-8,
    not CSV, with an unnamed or repeated column, or already imported (same SHA-256).
    """
    if not source.strip():
        raise ValidationError({"source": "Name the source of the figures."})
    for field, text in (("source", source), ("source_url", source_url)):
        if "\x00" in text:  # PostgreSQL refuses NUL characters in text
            raise ValidationError({field: "Text cannot contain NUL characters."})
    content_type = getattr(file, "content_type", None)
    if content_type and content_type.split(";")[0].strip().lower() not in CONTENT_TYPES:
        raise ValidationError({"file": f"A CSV file is expected, not {content_type}."})
    sha256, size, content = _digest(file)
    if size == 0:
        raise ValidationError({"file": "The file is empty."})
    try:
        parsed = read_csv(_text(content))
    except CsvError as exc:
        raise ValidationError({"file": str(exc)}) from None
    if len(parsed.rows) > MAX_ROWS:
        raise ValidationError({"file": f"The file has more than {MAX_ROWS} rows."})
    earlier = WatchlistImport.objects.filter(sha256=sha256).first()
    if earlier is not None:
        raise ValidationError({"file": f"This file was already imported (import #{earlier.pk})."})
    name = Path(str(file.name or "import.csv")).name.replace("\x00", "")[:255] or "import.csv"
    made = WatchlistImport(
        file=File(file, name=name),
        original_name=name,
        sha256=sha256,
        size=size,
        delimiter=parsed.delimiter,
        header=parsed.header,
        source_name=source.strip()[:200],
        source_url=source_url.strip(),
        retrieved_on=retrieved_on,
        mapping=default_mapping(parsed.header),
        imported_by=actor if getattr(actor, "pk", None) else None,
    )
    made.full_clean(exclude=["file"])
    with removed_on_failure() as stored, transaction.atomic():
        store_checked(made.file, stored, sha256, size, "file")
        made.save()
        audit.record(
            actor=actor, action="watchlist.import.staged", obj=made, after=_import_data(made)
        )
    return made


def _mapping_for(
    made: WatchlistImport, mapping: Mapping[str, str] | None, use_defaults: bool
) -> dict[str, str]:
    chosen = {str(k): str(v) for k, v in (mapping or {}).items() if str(v).strip()}
    if use_defaults:
        used = set(chosen.values())
        for name, column in default_mapping(made.header).items():
            if name not in chosen and column not in used:
                chosen[name] = column
    errors = check_mapping(chosen, made.header)
    if errors:
        raise ValidationError(errors)
    return chosen


def _index() -> matching.MatchIndex:
    """Every registered model and version, loaded in two queries."""
    found = [
        matching.candidate(pk, None, name, organisation)
        for pk, name, organisation in GPAIModel.objects.values_list(
            "pk", "name", "provider__organisation__name"
        ).iterator(chunk_size=5000)
    ]
    found += [
        matching.candidate(model_id, pk, f"{name} {label}", organisation)
        for pk, model_id, name, label, organisation in ModelVersion.objects.values_list(
            "pk", "model_id", "model__name", "label", "model__provider__organisation__name"
        ).iterator(chunk_size=5000)
    ]
    return matching.MatchIndex(found)


def watchlist_import_rows(
    *,
    actor: Any,
    watchlist_import: WatchlistImport,
    mapping: Mapping[str, str] | None = None,
    use_defaults: bool = True,
    on: date | None = None,
    progress: Progress | None = None,
) -> WatchlistImport:
    """Read the rows of a staged import with a column mapping (our field -> the file's
    column; with `use_defaults`, fields not given are found from the header).

    Each row keeps its raw cells, its parsed values and a message for each cell that could
    not be parsed; its compute figure is placed against aiact's threshold on `on` (the
    import's day, today by default); up to three matches are suggested by name.
    """
    day = on or timezone.now().date()
    with transaction.atomic():
        made = WatchlistImport.objects.select_for_update().get(pk=watchlist_import.pk)
        if made.status != ImportStatus.STAGED:
            raise ValidationError({"status": f"Import #{made.pk} was already imported."})
        chosen = _mapping_for(made, mapping, use_defaults)
        with made.file.open("rb") as handle:
            parsed = read_csv(_text(handle.read()))
        threshold = threshold_on(day)
        index = _index()
        total = len(parsed.rows)
        width = len(parsed.header)
        rows: list[WatchlistRow] = []
        suggestions: list[list[matching.Suggestion]] = []
        for number, cells in enumerate(parsed.rows, start=1):
            raw = dict(zip(parsed.header, cells, strict=False))
            row = parse_row(number, raw, chosen)
            if len(cells) != width:
                row.errors["row"] = f"{len(cells)} cells where the header has {width}"
            values = row.values
            band, near = band_of(values.get(Field.TRAINING_COMPUTE_FLOP), threshold)
            rows.append(
                WatchlistRow(
                    watchlist_import=made,
                    number=number,
                    raw=raw,
                    model_name=values.get(Field.MODEL) or "",
                    organisation=values.get(Field.ORGANISATION) or "",
                    publication_date=values.get(Field.PUBLICATION_DATE),
                    parameters=values.get(Field.PARAMETERS),
                    training_compute_flop=values.get(Field.TRAINING_COMPUTE_FLOP),
                    dataset_size=values.get(Field.DATASET_SIZE),
                    estimation_method=values.get(Field.ESTIMATION_METHOD) or "",
                    confidence=values.get(Field.CONFIDENCE) or "",
                    errors=row.errors,
                    has_errors=bool(row.errors),
                    band=band,
                    near=near,
                )
            )
            suggestions.append(index.suggest(rows[-1].model_name, rows[-1].organisation))
            if progress is not None and number % BATCH == 0:
                progress(number, total)
        WatchlistRow.objects.bulk_create(rows, batch_size=BATCH)
        stored = WatchlistRow.objects.filter(watchlist_import=made).values_list("number", "pk")
        pk_of = dict(stored)
        matches = [
            Match(
                row_id=pk_of[row.number],
                model_id=s.candidate.model_id if s.candidate.version_id is None else None,
                version_id=s.candidate.version_id,
                score=f"{s.score:.3f}",
                why=s.why[:500],
            )
            for row, found in zip(rows, suggestions, strict=True)
            for s in found
        ]
        Match.objects.bulk_create(matches, batch_size=BATCH)
        made.mapping = chosen
        made.status = ImportStatus.IMPORTED
        made.imported_at = timezone.now()
        made.as_of = day
        made.threshold_flop = float(threshold.flop)
        made.margin = threshold.margin
        made.basis = list(threshold.basis)
        made.rules_version = threshold.rules_version
        made.row_count = len(rows)
        made.error_row_count = sum(1 for r in rows if r.has_errors)
        made.suggested_count = len(matches)
        if actor is not None and getattr(actor, "pk", None):
            made.imported_by = actor
        made.save()
        audit.record(
            actor=actor, action="watchlist.import.imported", obj=made, after=_import_data(made)
        )
    if progress is not None:
        progress(total, total)
    return made


def watchlist_import(
    *,
    actor: Any,
    file: File,  # type: ignore[type-arg]  # any content
    mapping: Mapping[str, str] | None,
    source: str,
    source_url: str = "",
    retrieved_on: date | None = None,
    on: date | None = None,
    progress: Progress | None = None,
) -> WatchlistImport:
    """Store a CSV file and import its rows, in one transaction (see the two steps). When
    the rows are refused the stored file is removed with the rolled-back records."""
    staged: WatchlistImport | None = None
    try:
        with transaction.atomic():
            staged = watchlist_stage(
                actor=actor,
                file=file,
                source=source,
                source_url=source_url,
                retrieved_on=retrieved_on,
            )
            return watchlist_import_rows(
                actor=actor, watchlist_import=staged, mapping=mapping, on=on, progress=progress
            )
    except BaseException:
        if staged is not None and staged.file.name:
            staged.file.storage.delete(staged.file.name)
        raise


def _match_data(match: Match) -> dict[str, Any]:
    return {
        "row": match.row_id,
        "model": match.model_id,
        "version": match.version_id,
        "score": match.score,
        "status": match.status,
        "decided_at": match.decided_at,
    }


def _decide(*, actor: Any, match: Match, status: str) -> Match:
    with transaction.atomic():
        match = Match.objects.select_for_update().get(pk=match.pk)
        if match.status == status:
            raise ValidationError({"status": f"This match is already {status}."})
        if (
            status == MatchStatus.CONFIRMED
            and Match.objects.filter(row_id=match.row_id, status=MatchStatus.CONFIRMED).exists()
        ):
            raise ValidationError(
                {"status": "This row already has a confirmed match; reject it first."}
            )
        before = _match_data(match)
        match.status = status
        match.decided_by = actor if getattr(actor, "pk", None) else None
        match.decided_at = timezone.now()
        match.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            action=f"watchlist.match.{status}",
            obj=match,
            before=before,
            after=_match_data(match),
        )
    return match


def match_confirm(*, actor: Any, match: Match) -> Match:
    """A person confirms that a row is about the matched model or version."""
    return _decide(actor=actor, match=match, status=MatchStatus.CONFIRMED)


def match_reject(*, actor: Any, match: Match) -> Match:
    """A person rejects a suggestion (or takes back a confirmation)."""
    return _decide(actor=actor, match=match, status=MatchStatus.REJECTED)


def match_create(
    *,
    actor: Any,
    row: WatchlistRow,
    model: GPAIModel | None = None,
    version: ModelVersion | None = None,
) -> Match:
    """A person matches a row to a model or version that the suggestions missed; the match
    is confirmed at once, with the name similarity computed for the record."""
    if (model is None) == (version is None):
        raise ValidationError({"model_id": "Give a model or a version, not both."})
    if version is not None:
        version = ModelVersion.objects.select_related("model__provider__organisation").get(
            pk=version.pk
        )
        target = matching.candidate(
            version.model_id,
            version.pk,
            f"{version.model.name} {version.label}",
            version.model.provider.organisation.name,
        )
    else:
        assert model is not None
        model = GPAIModel.objects.select_related("provider__organisation").get(pk=model.pk)
        target = matching.candidate(model.pk, None, model.name, model.provider.organisation.name)
    compared = matching.compare(row.model_name, row.organisation, target)
    with transaction.atomic():
        row = WatchlistRow.objects.select_for_update().get(pk=row.pk)
        if Match.objects.filter(row=row, status=MatchStatus.CONFIRMED).exists():
            raise ValidationError(
                {"status": "This row already has a confirmed match; reject it first."}
            )
        match = Match.objects.filter(row=row, model=model, version=version).first()
        if match is None:
            match = Match(row=row, model=model, version=version)
        match.score = Decimal(f"{compared.score:.3f}")
        match.why = f"matched by a person; {compared.why}"[:500]
        match.status = MatchStatus.CONFIRMED
        match.decided_by = actor if getattr(actor, "pk", None) else None
        match.decided_at = timezone.now()
        match.full_clean(validate_constraints=False)
        match.save()
        audit.record(
            actor=actor, action="watchlist.match.made", obj=match, after=_match_data(match)
        )
    return match
