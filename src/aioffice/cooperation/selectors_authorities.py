"""Reads of the authorities directory: the public directory (designated authorities only),
the overview of the 27 Member States with their gaps, a Member State's page with its
resource reports, and the staff's list (ended designations too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from aioffice.cooperation import permissions
from aioffice.cooperation.choices import AuthorityKind
from aioffice.cooperation.models_authorities import Authority, ResourceReport
from aioffice.cooperation.services_authorities import (
    ReportStanding,
    resource_report_dates,
    standing,
)
from aioffice.registry.choices import EU_MEMBER_STATES, MEMBER_STATE_NAMES

# what a row of the directory shows, and nothing else
DIRECTORY_FIELDS = (
    "id",
    "member_state",
    "name",
    "kind",
    "sector",
    "single_point_of_contact",
    "email",
    "phone",
    "website",
    "address",
    "contact_published_on",
    "updated_at",
)


def member_states_by_name() -> list[tuple[str, str]]:
    """(code, name) of the 27, by name in the reader's language."""
    return sorted(
        ((code, str(MEMBER_STATE_NAMES[code])) for code in EU_MEMBER_STATES),
        key=lambda item: item[1],
    )


def _filtered(
    authorities: QuerySet[Authority],
    *,
    member_state: str = "",
    kind: str = "",
    sector: str = "",
    q: str = "",
) -> QuerySet[Authority]:
    if member_state:
        authorities = authorities.filter(member_state=member_state)
    if kind:
        authorities = authorities.filter(kind=kind)
    if sector:
        authorities = authorities.filter(sector=sector)
    if q:
        authorities = authorities.filter(Q(name__icontains=q) | Q(tasks__icontains=q))
    return authorities


def directory(**filters: str) -> QuerySet[Authority]:
    """The designated authorities (public), filtered by Member State, kind, sector, words."""
    rows = Authority.objects.filter(active=True).only(*DIRECTORY_FIELDS)
    return _filtered(rows, **filters).order_by("member_state", "kind", "name", "id")


def for_staff(*, state: str = "", **filters: str) -> QuerySet[Authority]:
    """Every designation, ended ones too (`state`: "active", "ended" or all)."""
    rows = Authority.objects.select_related("organisation")
    if state == "active":
        rows = rows.filter(active=True)
    elif state == "ended":
        rows = rows.filter(active=False)
    return _filtered(rows, **filters).order_by("member_state", "kind", "name", "id")


def authority_shown(user: Any, pk: int) -> Authority:
    """One authority: a designated one for anyone, an ended one for Office staff."""
    found = Authority.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.active:
        return found
    if permissions.is_staff_user(user):
        return found
    raise Http404


def authority_for_editing(pk: int) -> Authority:
    found = Authority.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class MemberStateRow:
    """One Member State in the overview: how many designated authorities of each kind, its
    single point of contact, and where it stands with its resource reports."""

    code: str
    name: str
    notifying: int
    market_surveillance: int
    single_point_of_contact: Authority | None
    last_received_on: date | None
    report: ReportStanding

    @property
    def designated(self) -> bool:
        return bool(self.notifying or self.market_surveillance)

    @property
    def gaps(self) -> list[str]:
        """What Art. 70(1)-(2) asks that is not recorded: keys for the templates."""
        missing = []
        if not self.notifying:
            missing.append("notifying")
        if not self.market_surveillance:
            missing.append("market_surveillance")
        if self.single_point_of_contact is None:
            missing.append("single_point_of_contact")
        return missing


def overview(today: date, codes: list[str] | None = None) -> list[MemberStateRow]:
    """The 27 Member States (or `codes`), by name: three queries whatever their number."""
    wanted = codes or [code for code, _name in member_states_by_name()]
    counts: dict[tuple[str, str], int] = {
        (row["member_state"], row["kind"]): row["n"]
        for row in Authority.objects.filter(active=True, member_state__in=wanted)
        .order_by()
        .values("member_state", "kind")
        .annotate(n=Count("id"))
    }
    contacts = {
        a.member_state: a
        for a in Authority.objects.filter(
            active=True, single_point_of_contact=True, member_state__in=wanted
        ).only("id", "member_state", "name")
    }
    received: dict[str, set[date]] = {code: set() for code in wanted}
    last: dict[str, date] = {}
    for code, due_on, received_on in ResourceReport.objects.filter(
        member_state_id__in=wanted
    ).values_list("member_state_id", "due_on", "received_on"):
        received[code].add(due_on)
        last[code] = max(last.get(code, received_on), received_on)
    dates = resource_report_dates(today)
    return [
        MemberStateRow(
            code=code,
            name=str(MEMBER_STATE_NAMES[code]),
            notifying=counts.get((code, AuthorityKind.NOTIFYING), 0),
            market_surveillance=counts.get((code, AuthorityKind.MARKET_SURVEILLANCE), 0),
            single_point_of_contact=contacts.get(code),
            last_received_on=last.get(code),
            report=standing(received[code], dates, today),
        )
        for code in wanted
    ]


def member_state(code: str) -> str:
    """A Member State's code from a URL, or 404."""
    if code not in EU_MEMBER_STATES:
        raise Http404
    return code


def authorities_of_member_state(code: str) -> QuerySet[Authority]:
    return directory(member_state=code)


def resource_reports(code: str) -> QuerySet[ResourceReport]:
    return ResourceReport.objects.filter(member_state_id=code).order_by("-due_on", "-id")


def resource_report(code: str, pk: int) -> ResourceReport:
    found = ResourceReport.objects.filter(member_state_id=code, pk=pk).first()
    if found is None:
        raise Http404
    return found
