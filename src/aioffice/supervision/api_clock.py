"""API of supervision: clock (mounted by `aioffice.supervision.api` at /deadlines).

* Office staff (second factor): the open deadlines they own; a head of unit may ask for
  someone else's (`owner=<id>`) or everyone's (`owner=all`).
* A provider's members (and its representatives' under a current mandate): the open
  deadlines where it is their provider's move.
* Anyone else: 403.
"""

from datetime import date, timedelta
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router
from ninja.pagination import paginate

from aioffice.accounts.choices import Role
from aioffice.core.permissions import is_office_staff
from aioffice.core.schemas import MAX_ID
from aioffice.registry.api import Pagination
from aioffice.supervision import clock
from aioffice.supervision.models import Deadline
from aioffice.supervision.schemas_clock import (
    BasisName,
    DeadlineKindName,
    DeadlineOut,
    MoveName,
    StateName,
)

router = Router(tags=["supervision"])

OptionalId = Annotated[int | None, Field(ge=1, le=MAX_ID)]
Owner = Annotated[str | None, Field(pattern=r"^(all|[0-9]{1,12})$")]


def _deadlines(request: HttpRequest, owner: str | None) -> tuple[QuerySet[Deadline], bool]:
    """The deadlines a person may list, and whether they are staff."""
    user: Any = request.user
    if is_office_staff(request):
        rows = clock.open_deadlines()
        if owner is not None and not user.has_role(Role.HEAD_OF_UNIT):
            raise PermissionDenied("Only a head of unit lists other people's deadlines.")
        if owner == "all":
            return rows, True
        return rows.filter(owner_id=int(owner) if owner else user.pk), True
    if user.is_authenticated and user.is_active and user.has_role(Role.ORGANISATION_MEMBER):
        if owner is not None:
            raise PermissionDenied("Only a head of unit lists other people's deadlines.")
        return clock.deadlines_of_provider_user(user), False
    raise PermissionDenied("Deadlines are for AI Office staff and for providers.")


def _query(
    request: HttpRequest,
    kind: str | None,
    provider: int | None,
    basis: str | None,
    move: str | None,
    state: str | None,
    owner: str | None,
) -> tuple[QuerySet[Deadline], bool, date]:
    today = timezone.now().date()
    rows, staff = _deadlines(request, owner)
    rows = clock.filtered(
        rows, clock.Filters(kind=kind or "", provider=provider, basis=basis or "", move=move or "")
    )
    if state is not None:
        rows = clock.sections(rows, today)[state]
    return rows, staff, today


def _state(deadline: Deadline, today: date) -> str:
    if deadline.due_on < today:
        return "overdue"
    if deadline.due_on < today + timedelta(days=clock.SOON_DAYS):
        return "soon"
    return "later"


def _out(deadline: Deadline, today: date, staff: bool) -> dict[str, Any]:
    return {
        "id": deadline.pk,
        "kind": deadline.kind,
        "kind_label": str(deadline.get_kind_display()),
        "title": deadline.title,
        "due_on": deadline.due_on,
        "state": _state(deadline, today),
        "whose_move": "provider" if deadline.provider_to_act else "office",
        "basis": "legal" if deadline.legal else "code",
        "provider": deadline.provider_id,
        "provider_name": None if deadline.provider is None else deadline.provider.organisation.name,
        "case": None if deadline.case is None else deadline.case.reference,
        "owner": deadline.owner.username if staff and deadline.owner is not None else None,
        "url": deadline.url,
        "rules_version": deadline.rules_version,
        "reasons": [str(r) for r in deadline.reasons],
        "citations": [str(c) for c in deadline.citations],
    }


class _Rows:
    """The page's rows turned into dicts as the paginator slices them."""

    def __init__(self, rows: QuerySet[Deadline], today: date, staff: bool) -> None:
        self.rows, self.today, self.staff = rows, today, staff

    def __len__(self) -> int:
        return self.rows.count()

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_out(d, self.today, self.staff) for d in self.rows[index]]


OPEN_FIELDS = ("reasons", "citations")


@router.get(
    "/",
    response=list[DeadlineOut],
    summary="Open deadlines: mine (staff; owner=all or an id for a head of unit), or my "
    "provider's where it is its move (provider members); overdue first, by due date",
)
@paginate(Pagination)
def deadline_list(
    request: HttpRequest,
    kind: DeadlineKindName | None = None,
    provider: OptionalId = None,
    basis: BasisName | None = None,
    move: MoveName | None = None,
    state: StateName | None = None,
    owner: Owner = None,
) -> Any:
    rows, staff, today = _query(request, kind, provider, basis, move, state, owner)
    return _Rows(rows.only(*_ONLY, *OPEN_FIELDS), today, staff)


_ONLY = (
    "id",
    "kind",
    "title",
    "due_on",
    "url",
    "legal",
    "provider_to_act",
    "rules_version",
    "provider__id",
    "provider__organisation__id",
    "provider__organisation__name",
    "owner__id",
    "owner__username",
    "case__id",
    "case__reference",
)
