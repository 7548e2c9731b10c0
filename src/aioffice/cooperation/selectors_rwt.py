"""What the pages and the API read about real-world tests: the tests a person sees, the
public part, and each record cut down to the Annex IX points aiact lets its viewer see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from aioffice.cooperation import permissions_rwt as rules
from aioffice.cooperation.models_rwt import RealWorldTest
from aioffice.core.schemas import MAX_ID

# the Annex IX points and the record's fields each one holds
POINT_FIELDS: dict[str, tuple[str, ...]] = {
    "1": ("identification_number",),
    "2": ("provider", "provider_contact", "legal_representative", "deployers"),
    "3": ("system_name", "description", "scope", "annex_iii_point"),
    "4": ("plan_summary", "member_states", "started_on", "ends_on", "extended"),
    "5": ("status", "suspension_information", "outcome"),
}
ALL_POINTS = tuple(POINT_FIELDS)
PUBLIC_CSV_HEADER = (
    "identification_number",
    "provider",
    "provider_contact",
    "legal_representative",
    "deployers",
    "system_name",
    "description",
    "scope",
    "annex_iii_point",
    "plan_summary",
    "member_states",
    "started_on",
    "ends_on",
    "extended",
    "status",
    "suspension_information",
    "outcome",
)


def _base() -> QuerySet[RealWorldTest]:
    return RealWorldTest.objects.select_related("provider", "legal_representative", "authority")


def visible_tests(who: rules.Viewer) -> QuerySet[RealWorldTest]:
    rule = rules.visible_filter(who)
    found = _base()
    return found if rule is None else found.filter(rule)


def visible_test(who: rules.Viewer, pk: int) -> RealWorldTest:
    """One test a person sees; 404 for any other (its existence is not told)."""
    if not 1 <= pk <= MAX_ID:
        raise Http404
    found = visible_tests(who).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def public_tests(
    *, q: str = "", member_state: str = "", annex_iii_point: str = ""
) -> QuerySet[RealWorldTest]:
    """Tests whose provider consented to publication, outside the secure section."""
    found = _base().filter(visibility="public", sensitive_context=False)
    if q:
        found = found.filter(
            Q(system_name__icontains=q)
            | Q(provider__name__icontains=q)
            | Q(identification_number__icontains=q)
        )
    if member_state:
        # a JSON list of codes: its text holds the quoted code (SQLite and PostgreSQL alike)
        found = found.filter(member_states__icontains=f'"{member_state}"')
    if annex_iii_point:
        found = found.filter(annex_iii_point=annex_iii_point)
    return found.order_by("-submitted_on", "-id")


def points_for(who: rules.Viewer, test: RealWorldTest) -> tuple[str, ...]:
    """The Annex IX points a viewer sees: all for the provider and the deciding authority,
    aiact's list for everyone else (a test outside the secure section: all for the
    authorities and the Commission)."""
    if rules.sees_everything(who, test):
        return ALL_POINTS
    outside_secure = test.visibility in ("public", "authorities") and not test.sensitive_context
    if (who.staff or who.msa) and outside_secure:
        return ALL_POINTS
    return tuple(p for p in ALL_POINTS if p in set(test.fields_shown))


def _value(test: RealWorldTest, name: str) -> Any:
    if name == "provider":
        return test.provider.name
    if name == "legal_representative":
        return test.legal_representative.name if test.legal_representative else ""
    if name == "member_states":
        return list(test.member_states)
    return getattr(test, name)


def record(test: RealWorldTest, points: tuple[str, ...]) -> dict[str, Any]:
    """The fields of the given Annex IX points (the others left out)."""
    out: dict[str, Any] = {"annex_ix_points": list(points)}
    for point in points:
        for name in POINT_FIELDS[point]:
            out[name] = _value(test, name)
    return out


def public_record(test: RealWorldTest) -> dict[str, Any]:
    points = tuple(p for p in ALL_POINTS if p in set(test.fields_shown))
    return record(test, points)


def public_csv_rows(tests: QuerySet[RealWorldTest]) -> Any:
    for test in tests.iterator(chunk_size=500):
        found = public_record(test)
        yield [
            " ".join(v) if isinstance(v := found.get(name, ""), list) else v
            for name in PUBLIC_CSV_HEADER
        ]
