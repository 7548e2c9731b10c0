"""Reading consultations: who sees which consultation, the feedback list with its filters,
the counts per section, the exports and the published responses.

Confidential responses are read only by the Office and the project's chairs, vice-chairs
and drafters (`permissions.may_read_everything`); published lists never hold them, nor any
e-mail address."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aioffice.drafting import permissions
from aioffice.drafting.models_consultations import (
    Audience,
    Confidentiality,
    Consultation,
    Feedback,
    Position,
    Response,
)
from aioffice.drafting.models_drafts import Section
from aioffice.drafting.models_projects import Member
from aioffice.drafting.services_consultations import closes_at

FILTERS = ("section", "position", "category", "confidentiality", "q")

EXPORT_HEADER = (
    "response",
    "reference",
    "submitted_at",
    "channel",
    "identity_check",
    "confidentiality",
    "category",
    "name",
    "organisation",
    "email",
    "member",
    "feedback",
    "section_key",
    "section_number",
    "position",
    "comment",
    "proposed_wording",
)

PUBLISHED_HEADER = (
    "reference",
    "submitted_at",
    "confidentiality",
    "category",
    "name",
    "organisation",
    "section_number",
    "section_title",
    "position",
    "comment",
    "proposed_wording",
)


def consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("draft__project")


def consultation_for(user: Any, pk: int) -> Consultation:
    """The consultation, or 404 to whoever may not read it (its existence is not told)."""
    found = consultations().filter(pk=pk).first()
    if found is None or not permissions.may_read_consultation(user, found):
        raise Http404
    return found


def open_public() -> QuerySet[Consultation]:
    """Public consultations open now, of public projects, soonest closing first."""
    now = timezone.now()
    return (
        consultations()
        .filter(
            audience=Audience.PUBLIC,
            draft__project__public=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closed_early_at__isnull=True,
        )
        .order_by("closes_at", "id")
    )


def open_for_member(user: Any) -> QuerySet[Consultation]:
    """Working-group consultations open now to the groups the person is a current member of."""
    now = timezone.now()
    today = timezone.localdate()
    groups = (
        Member.objects.filter(user=user)
        .exclude(left_on__isnull=False, left_on__lte=today)
        .values("working_group_id")
    )
    return (
        consultations()
        .filter(
            audience=Audience.WORKING_GROUPS,
            working_groups__in=groups,
            opens_at__lte=now,
            closes_at__gt=now,
            closed_early_at__isnull=True,
        )
        .distinct()
        .order_by("closes_at", "id")
    )


def sections_of(consultation: Consultation) -> list[Section]:
    return list(
        Section.objects.filter(draft_id=consultation.draft_id)
        .only("id", "key", "number", "title", "kind", "text", "position", "draft_id")
        .order_by("position", "id")
    )


def own_response(user: Any, consultation: Consultation) -> Response | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        Response.objects.filter(consultation=consultation, user=user)
        .prefetch_related("items")
        .first()
    )


# --- the Office's and the chairs' reading -------------------------------------------------------


def feedback(consultation: Consultation, filters: dict[str, str] | None = None) -> Any:
    """Every piece of feedback (confidential too), filtered; for may_read_everything only."""
    filters = filters or {}
    rows = (
        Feedback.objects.filter(response__consultation=consultation)
        .select_related("response", "section")
        .order_by("response_id", "id")
    )
    section = (filters.get("section") or "").strip()
    if section == "general":
        rows = rows.filter(section__isnull=True)
    elif section.isdigit():
        rows = rows.filter(section_id=int(section))
    position = (filters.get("position") or "").strip()
    if position in Position.values:
        rows = rows.filter(position=position)
    category = (filters.get("category") or "").strip()
    if category and "\x00" not in category:  # PostgreSQL refuses NUL characters
        rows = rows.filter(response__category=category)
    confidentiality = (filters.get("confidentiality") or "").strip()
    if confidentiality in Confidentiality.values:
        rows = rows.filter(response__confidentiality=confidentiality)
    text = (filters.get("q") or "").replace("\x00", "").strip()[:200]
    if text:
        rows = rows.filter(Q(comment__icontains=text) | Q(proposed_wording__icontains=text))
    return rows


@dataclass
class SectionCount:
    section: Section | None
    support: int = 0
    oppose: int = 0
    comment: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.support + self.oppose + self.comment

    def share(self, position: str, of: int) -> int:
        """Percent of `of` (the largest total), for the bars."""
        return round(100 * int(getattr(self, position)) / of) if of else 0


def section_counts(consultation: Consultation) -> list[SectionCount]:
    """Support, oppose and comment per section in document order, general comments last
    (one query for the counts, one for the sections)."""
    counts: dict[int | None, SectionCount] = {
        s.pk: SectionCount(s) for s in sections_of(consultation)
    }
    counts[None] = SectionCount(None)
    rows = (
        Feedback.objects.filter(response__consultation=consultation)
        .values("section_id", "position")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        target = counts.get(row["section_id"])
        if target is not None and row["position"] in Position.values:
            setattr(target, row["position"], int(getattr(target, row["position"])) + row["n"])
    return list(counts.values())


def export_rows(consultation: Consultation) -> Iterator[tuple[Any, ...]]:
    """Every piece of feedback with its response's columns, streamed (100,000 rows cost
    the memory of one chunk)."""
    rows = (
        Feedback.objects.filter(response__consultation=consultation)
        .order_by("response_id", "id")
        .values_list(
            "response_id",
            "response__reference",
            "response__submitted_at",
            "response__channel",
            "response__identity_check",
            "response__confidentiality",
            "response__category",
            "response__name",
            "response__organisation_name",
            "response__email",
            "response__member_id",
            "id",
            "section__key",
            "section__number",
            "position",
            "comment",
            "proposed_wording",
        )
    )
    yield from rows.iterator(chunk_size=2000)


# --- what is published --------------------------------------------------------------------------


def published_responses(consultation: Consultation) -> QuerySet[Response]:
    """The responses published: never the confidential ones."""
    return (
        Response.objects.filter(consultation=consultation)
        .exclude(confidentiality=Confidentiality.CONFIDENTIAL)
        .prefetch_related("items__section")
        .order_by("id")
    )


def published_rows(consultation: Consultation) -> Iterator[tuple[Any, ...]]:
    """The public CSV: anonymous responses without name or organisation; no e-mail ever."""
    rows = (
        Feedback.objects.filter(response__consultation=consultation)
        .exclude(response__confidentiality=Confidentiality.CONFIDENTIAL)
        .order_by("response_id", "id")
        .values_list(
            "response__reference",
            "response__submitted_at",
            "response__confidentiality",
            "response__category",
            "response__name",
            "response__organisation_name",
            "section__number",
            "section__title",
            "position",
            "comment",
            "proposed_wording",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        if row[2] == Confidentiality.ANONYMOUS:
            row = (*row[:4], "", "", *row[6:])
        yield row


def closing(consultation: Consultation) -> Any:
    return closes_at(consultation)
