"""Reads of the EU database: search, one entry, the registrant's own, the staff's list.

Who sees which entry is `permissions_database.Scope` (one filter, applied in every read:
lists, counts, exports, details, files, links from section C to the provider's entry).
Which points of an entry are shown is aiact's list kept on the row (`Registration.fields`).

The public search is the database's busiest read (100,000 entries, bench/database.py). It
reads only the listed columns (`values`), pages in the order of one index (visibility,
state, registered_at, id), and keeps its counts and pages for everyone who sees only the
public part in Django's cache under the audit chain's head: every write of the database
appends an audit event, which moves the head, so the next read counts again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django_stubs_ext import StrOrPromise

from aioffice.cooperation.models_database import (
    POINTS,
    Point,
    Registration,
    RegistrationFile,
    Section,
    SystemStatus,
    fold,
)
from aioffice.cooperation.permissions_database import Scope
from aioffice.core.models import AuditChainHead, AuditEvent

CACHE_SECONDS = 60  # a backstop for changes made outside the services (no audit event)
MAX_WORDS = 8
ID_CHUNK = 1000  # ids of a public list's order kept per chunk (50 pages of 20)
NUMBER_MAX_LENGTH = 32

# key -> point, per section: a column is shown when its point is in the entry's `fields`
POINT_OF: dict[str, dict[str, str]] = {
    section: {p.key: p.point for p in points} for section, points in POINTS.items()
}
LIST_COLUMNS = (
    "id",
    "number",
    "section",
    "annex_iii_point",
    "registrant_name",
    "trade_name",
    "reference",
    "intended_purpose",
    "status",
    "member_states",
    "visibility",
    "state",
    "registered_at",
    "organisation_id",
    "fields",
    "system_id",
    "system__number",
    "system__visibility",
    "system__state",
    "system__organisation_id",
    "system_url",
)
SHOWN_COLUMNS = (
    "registrant_name",
    "trade_name",
    "reference",
    "intended_purpose",
    "status",
    "member_states",
)


@dataclass(frozen=True, slots=True)
class Filters:
    """A search: words and filters, already checked by the form or the API schema."""

    q: str = ""
    section: str = ""
    annex_iii_point: str = ""
    status: str = ""
    member_state: str = ""
    state: str = ""  # staff only

    def key(self) -> str:
        """A short stable key for the cache (a hash: no spaces, any length)."""
        words = " ".join(self.words())
        text = "|".join(
            [
                words,
                self.section,
                self.annex_iii_point,
                self.status,
                self.member_state,
                self.state,
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def words(self) -> list[str]:
        return fold(self.q.replace("\x00", "")).split()[:MAX_WORDS]


def audit_head() -> str | None:
    """The audit chain's last hash, or None while the trail is empty."""
    return AuditChainHead.objects.filter(id=1).values_list("hash", flat=True).first()


def _filtered(scope: Scope, filters: Filters) -> QuerySet[Registration]:
    rows = Registration.objects.filter(scope.q())
    if filters.section:
        rows = rows.filter(section=filters.section)
    if filters.annex_iii_point:
        rows = rows.filter(annex_iii_point=filters.annex_iii_point)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.member_state:
        rows = rows.filter(member_states__contains=f"|{filters.member_state}|")
    if filters.state:
        rows = rows.filter(state=filters.state)
    for word in filters.words():
        rows = rows.filter(search__contains=word)
    return rows


def entry(row: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """One row of a list as it is shown: the points aiact lists for it, None for the others;
    the provider's entry (section C point 3) only when the reader sees it."""
    points = POINT_OF[row["section"]]
    fields = set(row["fields"])
    shown: dict[str, Any] = {
        "number": row["number"],
        "section": row["section"],
        "annex_iii_point": row["annex_iii_point"],
        "registered_at": row["registered_at"],
        "restricted": row["visibility"] != "public",
        "visibility": row["visibility"],
        "state": row["state"],
    }
    for column in SHOWN_COLUMNS:
        point = points.get(column)
        value = row[column] if point is not None and point in fields else None
        if column == "member_states" and value is not None:
            value = [code for code in value.split("|") if code]
        shown[column] = value or ([] if column == "member_states" else None)
    system = None
    if row["system_id"] is not None and scope.allows(
        visibility=row["system__visibility"],
        state=row["system__state"],
        organisation_id=row["system__organisation_id"],
    ):
        system = row["system__number"]
    shown["system"] = system
    shown["status_label"] = str(SystemStatus(shown["status"]).label) if shown["status"] else None
    shown["system_url"] = row["system_url"] or None
    return shown


class Results:
    """A search's rows, paginated like a queryset (`count`, slices); counts and slices are
    cached for the public scope under the audit chain's head."""

    def __init__(
        self,
        scope: Scope,
        filters: Filters,
        *,
        cap: int | None = None,
        keep_rows: bool = True,
        head: str | None = None,
    ) -> None:
        self.scope = scope
        self.keep_rows = keep_rows
        self.filters = filters
        self.rows = _filtered(scope, filters)
        # a text search counts at most `cap` + 1 matches (the scan stops there), then says
        # "more than cap": counting every match of a common word read the whole table
        self.cap = cap if filters.words() else None
        self.more = False
        self._head: str | None = head  # the audit chain's head, when the caller read it
        self._count: int | None = None

    def cache_key(self, what: str) -> str | None:
        """A key for what is kept of this search (public scope only, once the audit trail
        has a head), or None when nothing is kept."""
        if not self.scope.is_public:
            return None
        if self._head is None:
            self._head = audit_head() or ""
        if not self._head:
            return None
        return f"cooperation:eudb:{what}:{self._head}:{self.filters.key()}"

    def count(self) -> int:
        if self._count is None:
            key = self.cache_key(f"count:{self.cap}")
            found = cache.get(key) if key else None
            if found is None:
                rows = self.rows if self.cap is None else self.rows[: self.cap + 1]
                found = rows.count()
                if key:
                    cache.set(key, found, CACHE_SECONDS)
            self._count = int(found)
            if self.cap is not None and self._count > self.cap:
                self.more, self._count = True, self.cap
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        key = self.cache_key(f"rows:{index.start}:{index.stop}") if self.keep_rows else None
        found = cache.get(key) if key else None
        if found is None:
            # the page's ids from the chunk of the order kept in the cache, or from the index
            # alone (a deep page skips index entries, not rows); then those rows with their
            # columns, in one query (the scope applied again: ids never widen what is shown)
            ids: Any = self._kept_ids(index)
            if ids is None:
                ids = self.rows.order_by("-registered_at", "-id").values("pk")[index]
            found = list(
                Registration.objects.filter(self.scope.q(), pk__in=ids)
                .order_by("-registered_at", "-id")
                .values(*LIST_COLUMNS)
            )
            if key:
                cache.set(key, found, CACHE_SECONDS)
        return [entry(row, self.scope) for row in found]

    def _kept_ids(self, index: slice) -> list[int] | None:
        """The ids of a slice of the order, read from chunks of `ID_CHUNK` ids kept in the
        cache (each computed once a head: a deep page's offset is paid once for 50 pages),
        for the public's filtered lists and the whole list; None for a text search (its
        first pages come from the index's order, its matches are counted up to a cap) and
        for other scopes."""
        if self.filters.words():
            return None
        start, stop = index.start or 0, index.stop
        if stop is None or stop <= start:
            return None
        first, last = start // ID_CHUNK, (stop - 1) // ID_CHUNK
        ids: list[int] = []
        for chunk in range(first, last + 1):
            key = self.cache_key(f"ids:{ID_CHUNK}:{chunk}")
            if key is None:
                return None
            found = cache.get(key)
            if found is None:
                ordered = self.rows.order_by("-registered_at", "-id").values_list("pk", flat=True)
                found = list(ordered[chunk * ID_CHUNK : (chunk + 1) * ID_CHUNK])
                cache.set(key, found, CACHE_SECONDS)
            ids.extend(found)
        offset = first * ID_CHUNK
        return ids[start - offset : stop - offset]

    def iterator(self) -> Iterator[dict[str, Any]]:
        rows = self.rows.order_by("-registered_at", "-id").values(*LIST_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            yield entry(row, self.scope)


def search(
    scope: Scope,
    filters: Filters,
    *,
    cap: int | None = None,
    keep_rows: bool = True,
    head: str | None = None,
) -> Results:
    """A search's results; `keep_rows`: its pages' rows are kept in the cache for the
    public (not needed where the caller keeps what it renders of them); `head`: the audit
    chain's head when the caller has just read it."""
    return Results(scope, filters, cap=cap, keep_rows=keep_rows, head=head)


def registration_visible(scope: Scope, number: str) -> Registration:
    """One entry by its number, or 404 for one the reader does not see (never 403: whether
    an entry of the secure section exists does not leak)."""
    if not number or len(number) > NUMBER_MAX_LENGTH or "\x00" in number:
        raise Http404
    found = (
        Registration.objects.filter(scope.q())
        .filter(number=number.upper())
        .select_related("system")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class ShownPoint:
    point: str
    key: str
    label: Any
    value: Any


def shown_points(registration: Registration) -> list[ShownPoint]:
    """The points of an entry aiact lists, in their order, with their values (files apart)."""
    shown = []
    for spec in POINTS[registration.section]:
        if spec.point not in registration.fields or spec.kind in ("file", "system"):
            continue
        shown.append(ShownPoint(spec.point, spec.key, spec.label, _value(registration, spec)))
    return shown


def _value(registration: Registration, spec: Point) -> Any:
    if spec.key == "member_states":
        return registration.member_state_codes
    if spec.key == "status":
        return registration.get_status_display() if registration.status else ""
    if spec.kind == "column":
        return getattr(registration, spec.key)
    return registration.details.get(spec.key, "")


def system_shown(scope: Scope, registration: Registration) -> Registration | None:
    """Section C point 3: the provider's entry, when the reader sees it."""
    system = registration.system
    if system is None:
        return None
    if not scope.allows(
        visibility=system.visibility, state=system.state, organisation_id=system.organisation_id
    ):
        return None
    return system


def files_shown(registration: Registration) -> list[RegistrationFile]:
    """The entry's files whose point aiact lists for it, the latest of each point first."""
    points = {p.point for p in POINTS[registration.section] if p.kind == "file"}
    wanted = sorted(points & set(registration.fields))
    return list(registration.files.filter(point__in=wanted).order_by("point", "-uploaded_at"))


def file_visible(scope: Scope, number: str, file_id: int) -> RegistrationFile:
    registration = registration_visible(scope, number)
    for found in files_shown(registration):
        if found.pk == file_id:
            return found
    raise Http404


def file_point_key(section: str, point: str) -> str:
    return next((p.key for p in POINTS[section] if p.point == point and p.kind == "file"), "")


def mine(organisation_ids: list[int]) -> QuerySet[Registration]:
    """The registrant organisations' own entries, newest first."""
    return (
        Registration.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation")
        .order_by("-registered_at", "-id")
    )


def history(registration: Registration) -> list[Any]:
    return list(registration.history.select_related("changed_by").order_by("changed_at", "id"))


def audit_events(registration: Registration) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=registration._meta.label_lower, object_id=str(registration.pk)
        ).order_by("seq")
    )


def sections_of(kind_sections: tuple[str, ...]) -> list[tuple[str, StrOrPromise]]:
    return [(value, label) for value, label in Section.choices if value in kind_sections]
