"""Reads of the portal's help for the public. The public sees what is published (practices)
or shown (structures); the staff pages are guarded by `permissions.can_*` in the views and
see everything. An enquiry's status page opens only with its number and its secret key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from aiact import load_law
from aioffice.portal.choices import SupportKind
from aioffice.portal.models_content import fold
from aioffice.portal.models_help import (
    Enquiry,
    LiteracyPractice,
    SupportStructure,
)
from aioffice.portal.services_help import key_digest
from aioffice.registry.choices import MEMBER_STATE_NAMES

# aiact's parameter: the date by which each Member State has at least one national AI
# regulatory sandbox operational (Art. 57(1); moved by Reg. (EU) 2026/1744).
SANDBOX_DATE_PARAM = "national_sandbox_by"


def member_states_by_name() -> list[tuple[str, str]]:
    """(code, name) of the 27, sorted by their name in the reader's language."""
    return sorted(((c, str(n)) for c, n in MEMBER_STATE_NAMES.items()), key=lambda x: x[1])


# --- AI literacy practices -----------------------------------------------------------------


def _practices(
    queryset: QuerySet[LiteracyPractice],
    *,
    q: str = "",
    sector: str = "",
    organisation_size: str = "",
    member_state: str = "",
    language: str = "",
) -> QuerySet[LiteracyPractice]:
    for word in fold(q).split()[:10]:
        queryset = queryset.filter(search_text__contains=word)
    if sector:
        queryset = queryset.filter(sector=sector)
    if organisation_size:
        queryset = queryset.filter(organisation_size=organisation_size)
    if member_state:
        queryset = queryset.filter(member_state=member_state)
    if language:
        queryset = queryset.filter(language=language)
    return queryset.order_by("title", "id")


def literacy_practices_published(**filters: str) -> QuerySet[LiteracyPractice]:
    """The published practices matching a search in title, organisation and description,
    and the filters (sector, organisation size, Member State, language)."""
    return _practices(LiteracyPractice.objects.filter(published=True), **filters)


def literacy_practice_published(pk: int) -> LiteracyPractice:
    found = LiteracyPractice.objects.filter(pk=pk, published=True).first()
    if found is None:
        raise Http404
    return found


def literacy_practices_for_staff(
    *, published: bool | None = None, **filters: str
) -> QuerySet[LiteracyPractice]:
    """Every practice, those waiting for review included (staff pages only)."""
    queryset = LiteracyPractice.objects.all()
    if published is not None:
        queryset = queryset.filter(published=published)
    return _practices(queryset, **filters)


def literacy_practice_for_staff(pk: int) -> LiteracyPractice:
    found = LiteracyPractice.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- support structures --------------------------------------------------------------------


def support_structures_shown(
    *, member_state: str = "", kind: str = ""
) -> QuerySet[SupportStructure]:
    """The structures shown to the public, by Member State then name."""
    queryset = SupportStructure.objects.filter(active=True)
    if member_state:
        queryset = queryset.filter(member_state=member_state)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("member_state", "kind", "name", "id")


def support_structures_for_staff(
    *, member_state: str = "", kind: str = ""
) -> QuerySet[SupportStructure]:
    queryset = SupportStructure.objects.all()
    if member_state:
        queryset = queryset.filter(member_state=member_state)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("member_state", "kind", "name", "id")


def support_structure_for_staff(pk: int) -> SupportStructure:
    found = SupportStructure.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class MemberStateSupport:
    """One Member State's line of the overview: how many structures of each kind are
    shown, and how many of its sandboxes are operational."""

    code: str
    name: str
    counts: dict[str, int]
    sandboxes_operational: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        """The counts in the order of `SupportKind` (the overview's columns)."""
        return [self.counts.get(kind, 0) for kind in SupportKind.values]


def support_overview() -> list[MemberStateSupport]:
    """Every Member State (the 27, by name in the reader's language) with its counts, in
    one query."""
    counts: dict[str, dict[str, int]] = {}
    operational: dict[str, int] = {}
    rows = (
        SupportStructure.objects.filter(active=True)
        .values("member_state", "kind")
        .annotate(n=Count("id"), operational=Count("id", filter=Q(operational=True)))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["member_state"], {})[row["kind"]] = row["n"]
        if row["kind"] == SupportKind.SANDBOX:
            operational[row["member_state"]] = row["operational"]
    return [
        MemberStateSupport(code, name, counts.get(code, {}), operational.get(code, 0))
        for code, name in member_states_by_name()
    ]


@dataclass(frozen=True)
class SandboxDeadline:
    """When each Member State must have a national AI regulatory sandbox operational, as
    aiact holds it: the law as amended, and the date as published where it differs."""

    due: date
    citation: str
    eli: str | None
    status: str
    as_published: date | None
    as_published_citation: str

    @property
    def amended(self) -> bool:
        return self.status == "LAW-AMENDED"


def sandbox_deadline(on: date) -> SandboxDeadline:
    amended = load_law("as-amended")
    published = load_law("as-published")
    param = amended.param(SANDBOX_DATE_PARAM, on)
    original = published.param(SANDBOX_DATE_PARAM, on)
    due = amended.date(SANDBOX_DATE_PARAM, on)
    first = published.date(SANDBOX_DATE_PARAM, on)
    return SandboxDeadline(
        due=due,
        citation=param.citation.label,
        eli=param.citation.eli,
        status=param.status,
        as_published=first if first != due else None,
        as_published_citation=original.citation.label,
    )


# --- questions to the Office ---------------------------------------------------------------


def enquiry_by_key(tracking_number: str, key: str) -> Enquiry:
    """The enquiry with this number, if the key is its key; otherwise 404, the same
    answer as for a number that does not exist."""
    if "\x00" in tracking_number:  # PostgreSQL refuses a NUL in a query: no such number
        raise Http404(_("No question has this number and key."))
    found = Enquiry.objects.filter(tracking_number=tracking_number).first()
    expected = found.key_sha256 if found is not None else "0" * 64
    matches = hmac.compare_digest(expected, key_digest(key))
    if found is None or not matches:
        raise Http404(_("No question has this number and key."))
    return found


def enquiry_queue(*, status: str = "") -> QuerySet[Enquiry]:
    """The questions to answer, oldest waiting first; filtered by status."""
    queryset = Enquiry.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("submitted_at", "id")


def enquiry_for_staff(pk: int) -> Enquiry:
    found = Enquiry.objects.select_related("answered_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
