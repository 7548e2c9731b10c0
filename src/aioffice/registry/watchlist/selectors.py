"""Reads of the watch-list. Everything here is for AI Office staff only: callers check
`aioffice.core.permissions.is_office_staff` first (the pages and the API do), and
`imports_visible_to` answers nothing to anyone else.

The watch-list of an import: its rows whose figure is above aiact's threshold or within
the ±30 % band on the chosen day (the import's or today), and that either have a
confirmed match to a model without a notification that was not withdrawn, or (above the
threshold only) no confirmed match at all. A fixed number of queries, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from aioffice.core.permissions import is_office_staff
from aioffice.registry.choices import NotificationStatus
from aioffice.registry.models import Notification
from aioffice.registry.watchlist.choices import Band, ImportStatus, MatchStatus, Reason
from aioffice.registry.watchlist.flags import band_of, threshold_on
from aioffice.registry.watchlist.models import Match, WatchlistImport, WatchlistRow


def imports_visible_to(request: HttpRequest) -> QuerySet[WatchlistImport]:
    if not is_office_staff(request):
        return WatchlistImport.objects.none()
    return WatchlistImport.objects.select_related("imported_by").order_by("-created_at", "-id")


def import_or_latest(import_id: int | None) -> WatchlistImport | None:
    imported = WatchlistImport.objects.filter(status=ImportStatus.IMPORTED)
    if import_id is not None:
        return imported.filter(pk=import_id).first()
    return imported.order_by("-imported_at", "-id").first()


def matches_with_targets() -> QuerySet[Match]:
    return Match.objects.select_related(
        "model__provider__organisation", "version__model__provider__organisation", "decided_by"
    ).order_by("-score", "id")


def rows_of(
    made: WatchlistImport,
    *,
    band: str | None = None,
    errors: bool | None = None,
    match_status: str | None = None,
) -> QuerySet[WatchlistRow]:
    """The rows of an import in file order, their matches loaded (one query more)."""
    rows = made.rows.order_by("number").prefetch_related(
        Prefetch("matches", queryset=matches_with_targets())
    )
    if band is not None:
        rows = rows.filter(band=band)
    if errors is not None:
        rows = rows.filter(has_errors=errors)
    if match_status == "unmatched":
        rows = rows.exclude(matches__status=MatchStatus.CONFIRMED)
    elif match_status is not None:
        rows = rows.filter(matches__status=match_status).distinct()
    return rows


def matches_of(*, import_id: int | None = None, status: str | None = None) -> QuerySet[Match]:
    found = matches_with_targets().select_related("row").order_by("row__number", "-score", "id")
    if import_id is not None:
        found = found.filter(row__watchlist_import_id=import_id)
    if status is not None:
        found = found.filter(status=status)
    return found


def target_label(match: Match) -> str:
    if match.version is not None:
        return f"{match.version.model.name} {match.version.label}"
    return match.model.name if match.model is not None else ""


def target_provider(match: Match) -> str:
    if match.version is not None:
        return match.version.model.provider.organisation.name
    return match.model.provider.organisation.name if match.model is not None else ""


@dataclass(frozen=True, slots=True)
class Entry:
    """One row on the watch-list, with why it is there."""

    row_id: int
    import_id: int
    number: int
    model_name: str
    organisation: str
    training_compute_flop: float
    confidence: str
    band_on_import: str
    near_on_import: bool | None
    band_today: str
    near_today: bool | None
    reason: str
    matched: str  # the confirmed model or version, or ""
    provider: str  # its provider, or ""
    pending_suggestions: int


def watchlist_entries(
    made: WatchlistImport,
    *,
    on: str = "today",
    reason: str | None = None,
    band: str | None = None,
    today: date | None = None,
) -> list[Entry]:
    """The watch-list of one import on the import's day (`on="import"`) or today."""
    threshold = threshold_on(today or timezone.now().date())
    rows = list(
        made.rows.filter(training_compute_flop__isnull=False)
        .order_by("number")
        .values(
            "pk",
            "number",
            "model_name",
            "organisation",
            "training_compute_flop",
            "confidence",
            "band",
            "near",
        )
    )
    # (row, the band on the chosen day, today's band, today's near)
    flagged: list[tuple[Any, str, str, bool | None]] = []
    for row in rows:
        band_today, near_today = band_of(row["training_compute_flop"], threshold)
        chosen_band, chosen_near = (
            (row["band"], row["near"]) if on == "import" else (band_today, near_today)
        )
        if chosen_band == Band.ABOVE or chosen_near:
            flagged.append((row, chosen_band, band_today, near_today))
    confirmed = {
        m.row_id: m
        for m in matches_with_targets().filter(
            row__watchlist_import=made, status=MatchStatus.CONFIRMED
        )
    }
    model_ids = {m.model_id for m in confirmed.values() if m.model_id}
    version_ids = {m.version_id for m in confirmed.values() if m.version_id}
    notified_models: set[int] = set()
    notified_versions: set[int] = set()
    if model_ids or version_ids:
        for version_id, model_id in (
            Notification.objects.exclude(status=NotificationStatus.WITHDRAWN)
            .filter(Q(version__model_id__in=model_ids) | Q(version_id__in=version_ids))
            .values_list("version_id", "version__model_id")
        ):
            notified_versions.add(version_id)
            notified_models.add(model_id)
    pending = dict(
        Match.objects.filter(row__watchlist_import=made, status=MatchStatus.SUGGESTED)
        .values("row_id")
        .annotate(n=Count("id"))
        .values_list("row_id", "n")
    )
    entries: list[Entry] = []
    for row, chosen_band, band_today, near_today in flagged:
        match = confirmed.get(row["pk"])
        if match is None:
            if chosen_band != Band.ABOVE:
                continue  # an unknown provider is contacted only above the threshold
            why = Reason.UNMATCHED
        else:
            notified = (
                match.version_id in notified_versions
                if match.version_id
                else match.model_id in notified_models
            )
            if notified:
                continue
            why = Reason.NOT_NOTIFIED
        if reason is not None and why != reason:
            continue
        if band is not None and chosen_band != band:
            continue
        entries.append(
            Entry(
                row_id=row["pk"],
                import_id=made.pk,
                number=row["number"],
                model_name=row["model_name"],
                organisation=row["organisation"],
                training_compute_flop=row["training_compute_flop"],
                confidence=row["confidence"],
                band_on_import=row["band"],
                near_on_import=row["near"],
                band_today=band_today,
                near_today=near_today,
                reason=why,
                matched=target_label(match) if match else "",
                provider=target_provider(match) if match else "",
                pending_suggestions=pending.get(row["pk"], 0),
            )
        )
    return entries


WATCHLIST_COLUMNS = (
    "import",
    "row",
    "model",
    "organisation",
    "training_compute_flop",
    "confidence",
    "band_on_import",
    "near_on_import",
    "band_today",
    "near_today",
    "reason",
    "matched",
    "provider",
    "pending_suggestions",
)


def watchlist_csv_rows(entries: list[Entry]) -> Iterator[list[Any]]:
    for e in entries:
        yield [
            e.import_id,
            e.number,
            e.model_name,
            e.organisation,
            e.training_compute_flop,
            e.confidence,
            e.band_on_import,
            e.near_on_import,
            e.band_today,
            e.near_today,
            e.reason,
            e.matched,
            e.provider,
            e.pending_suggestions,
        ]
