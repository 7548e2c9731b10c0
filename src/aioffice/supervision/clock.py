"""The one clock: every due date in aioffice is a `Deadline` row, computed by aiact.

Services open a deadline in the transaction of the step that starts it (`open_deadline`)
and close it in the one that meets it (`close_deadlines`). The registry's own procedures
(notifications, information requests, hearings, reassessments) are followed through
signals (`connect_sources`), so the registry needs no import of supervision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from aioffice.supervision.choices import DeadlineStatus
from aioffice.supervision.models import Deadline


def source_of(obj: models.Model) -> str:
    """The `source` key of a row: "<app_label>.<model>:<pk>"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def open_deadline(
    *,
    kind: str,
    source: models.Model,
    due_on: date,
    title: str,
    case: Any = None,
    provider: Any = None,
    owner: Any = None,
    provider_to_act: bool = False,
    legal: bool = True,
    url: str = "",
    answer: Mapping[str, Any] | None = None,
) -> Deadline:
    """Open (or move) the one open deadline of `kind` for `source`, in the caller's
    transaction. `answer` is what aiact said: `rules_version`, `reasons`, `citations`
    (labels or aiact's citation objects)."""
    answer = answer or {}
    citations = [
        str(c.get("label", "")) if isinstance(c, Mapping) else str(c)
        for c in answer.get("citations") or ()
    ]
    values = {
        "title": title[:300],
        "due_on": due_on,
        "case": case,
        "provider": provider,
        "owner": owner,
        "provider_to_act": provider_to_act,
        "legal": legal,
        "url": url[:300],
        "rules_version": str(answer.get("rules_version", "")),
        "reasons": [str(r) for r in answer.get("reasons") or ()],
        "citations": citations,
    }
    existing = (
        Deadline.objects.select_for_update()
        .filter(source=source_of(source), kind=kind, status=DeadlineStatus.OPEN)
        .first()
    )
    if existing is None:
        return Deadline.objects.create(kind=kind, source=source_of(source), **values)
    for name, value in values.items():
        setattr(existing, name, value)
    if existing.due_on != due_on:
        existing.reminded_on = None
        existing.overdue_reminded_on = None
    existing.save()
    return existing


def close_deadlines(
    *,
    source: models.Model,
    kinds: Iterable[str] | None = None,
    status: str = DeadlineStatus.MET,
) -> int:
    """Close the open deadlines of `source` (of `kinds`, or all): met or no longer due."""
    rows = Deadline.objects.filter(source=source_of(source), status=DeadlineStatus.OPEN)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(status=status, closed_at=timezone.now())


def connect_sources() -> None:
    """Follow the registry's procedures (filled in with the registry's clocks)."""
