"""Reads of the Board and the advisory bodies: what the public sees (published meetings,
approved and published minutes, public documents, published opinions, members with their
declarations of interests) and what the Office's staff see (everything)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aiact import InputError, evaluate, load_law
from aioffice.cooperation.choices import BodyKind, MeetingStatus, SeatRole
from aioffice.cooperation.models_bodies import (
    Body,
    BodyDocument,
    Meeting,
    Membership,
    Opinion,
)
from aioffice.cooperation.permissions import is_staff_user


def _public_documents() -> QuerySet[BodyDocument]:
    return BodyDocument.objects.filter(public=True).order_by("uploaded_at", "id")


def bodies() -> QuerySet[Body]:
    """Every body with its sub-groups' parent and its active members' count."""
    return (
        Body.objects.select_related("parent")
        .annotate(members=Count("memberships", filter=Q(memberships__ended_on__isnull=True)))
        .order_by("kind", "name", "id")
    )


def body(pk: int) -> Body:
    found = bodies().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def members_public(of: Body) -> QuerySet[Membership]:
    """The current members, with their public declaration documents."""
    return (
        Membership.objects.filter(body=of, ended_on__isnull=True)
        .prefetch_related(
            Prefetch("documents", queryset=_public_documents(), to_attr="public_documents")
        )
        .order_by("role", "member_state", "person_name", "id")
    )


def members_all(of: Body) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(body=of)
        .select_related("user")
        .order_by("ended_on", "role", "member_state", "person_name", "id")
    )


def meetings_public(of: Body | None = None) -> QuerySet[Meeting]:
    rows = Meeting.objects.filter(published=True)
    if of is not None:
        rows = rows.filter(body=of)
    return (
        rows.select_related("body")
        .prefetch_related(
            "items",
            Prefetch("documents", queryset=_public_documents(), to_attr="public_documents"),
        )
        .order_by("-date", "-id")
    )


def meeting_public(pk: int) -> Meeting:
    found = meetings_public().filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def meetings_all(of: Body) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body=of).order_by("-date", "-id")


def meeting(pk: int) -> Meeting:
    found = (
        Meeting.objects.select_related("body")
        .prefetch_related("items", "documents")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def opinions_public(of: Body | None = None) -> QuerySet[Opinion]:
    rows = Opinion.objects.filter(published=True)
    if of is not None:
        rows = rows.filter(body=of)
    return (
        rows.select_related("body", "meeting")
        .prefetch_related(
            "state_votes",
            Prefetch("documents", queryset=_public_documents(), to_attr="public_documents"),
        )
        .order_by("-adopted_on", "-id")
    )


def opinions_all(of: Body) -> QuerySet[Opinion]:
    return (
        Opinion.objects.filter(body=of)
        .select_related("meeting", "alert__intake")
        .prefetch_related("state_votes")
        .order_by("-adopted_on", "-id")
    )


def opinion(pk: int) -> Opinion:
    found = Opinion.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def membership(pk: int) -> Membership:
    found = Membership.objects.select_related("body").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def own_memberships(user: Any) -> QuerySet[Membership]:
    """The seats a person holds with their own account (to update their declaration)."""
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user_id=user.pk, ended_on__isnull=True)
        .select_related("body")
        .order_by("body__name", "id")
    )


def document_for(user: Any, pk: int) -> BodyDocument:
    """A document the person may download: Office staff any; everyone a public document
    whose meeting and opinion are published and whose member is still a member."""
    found = (
        BodyDocument.objects.select_related("meeting", "opinion", "membership")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    if is_staff_user(user):
        return found
    if not found.public:
        raise Http404
    if found.meeting is not None and not found.meeting.published:
        raise Http404
    if found.opinion is not None and not found.opinion.published:
        raise Http404
    if found.membership is not None and found.membership.ended_on is not None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class YearCount:
    """Meetings held in a calendar year and aiact's minimum for the advisory forum
    (`minimum` None: the rule did not apply that year); `so_far`: the year is not over, so
    a count below the minimum is not a failure yet."""

    year: int
    held: int
    minimum: int | None = None
    met: bool | None = None
    so_far: bool = False
    citation: str = ""

    @property
    def below(self) -> bool:
        """A finished year in which the forum met fewer times than the law asks."""
        return self.met is False and not self.so_far


def _forum_year(year: int, held: int, today: date) -> YearCount | None:
    """aiact's "forum-meetings" check for one year (None: the rule did not apply)."""
    try:
        answer: dict[str, Any] = evaluate(
            "cooperation", {"check": "forum-meetings", "held": held, "year": year}, law=load_law()
        )
    except InputError:
        return None
    labels = dict.fromkeys(str(c.get("label", "")) for c in answer["citations"])
    return YearCount(
        year,
        held,
        minimum=int(answer["result"]["minimum"]),
        met=bool(answer["result"]["met"]),
        so_far=year >= today.year,
        citation="; ".join(labels),
    )


def meetings_held_per_year(of: Body, *, today: date | None = None) -> list[YearCount]:
    """Meetings held per calendar year, newest first, from the first year with a meeting
    held to the current year; for the advisory forum each year carries aiact's minimum
    (Art. 67: at least twice a year) and whether it was met, the current year counted "so
    far". A year without a meeting is listed where the rule applied in it."""
    today = today or timezone.localdate()
    rows = (
        Meeting.objects.filter(body=of, status=MeetingStatus.HELD)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(n=Count("id"))
    )
    counts = {int(row["year"]): int(row["n"]) for row in rows}
    if not counts:
        return []
    if of.kind != BodyKind.ADVISORY_FORUM:
        return [YearCount(year, counts[year]) for year in sorted(counts, reverse=True)]
    years = set(counts) | set(range(min(counts), today.year + 1))
    found: list[YearCount] = []
    for year in sorted(years, reverse=True):
        held = counts.get(year, 0)
        checked = _forum_year(year, held, today)
        if checked is not None:
            found.append(checked)
        elif held:
            found.append(YearCount(year, held))
    return found


@dataclass(frozen=True, slots=True)
class Balance:
    """The panel's composition as totals only (Art. 68(2): gender and geographic balance)."""

    gender: list[tuple[str, int]]
    nationality: list[tuple[str, int]]
    experts: int


def panel_balance(of: Body) -> Balance | None:
    if of.kind != BodyKind.SCIENTIFIC_PANEL:
        return None
    rows = list(
        Membership.objects.filter(body=of, role=SeatRole.EXPERT, ended_on__isnull=True).values_list(
            "gender", "nationality"
        )
    )
    gender = Counter(g or "" for g, _n in rows)
    nationality = Counter(n or "" for _g, n in rows)
    return Balance(
        gender=sorted(gender.items()), nationality=sorted(nationality.items()), experts=len(rows)
    )


def public_body_documents(of: Body) -> QuerySet[BodyDocument]:
    """A body's own public documents (its rules of procedure), not a meeting's, a member's
    or an opinion's."""
    return _public_documents().filter(
        body=of, meeting__isnull=True, membership__isnull=True, opinion__isnull=True
    )


def body_documents(of: Body) -> QuerySet[BodyDocument]:
    """Every document of a body, for the Office."""
    return BodyDocument.objects.filter(body=of).order_by("uploaded_at", "id")


def account(username: str) -> Any:
    """The account a member is linked to (none for an empty name); an unknown name is an
    error naming `username`."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username=username, is_active=True).first()
    if found is None:
        raise ValidationError({"username": _("No active account has this username.")})
    return found
