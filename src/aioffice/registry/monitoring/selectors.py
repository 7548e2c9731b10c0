"""Compliance monitoring: every obligation aiact says applies to a version, the evidence
that meets it, and its status.

Applicability is aiact's answer, read from the version's current assessment and never
decided again here: `Assessment.obligations` (``{id: aiact status}``) for filters and
counts in SQL, and the answer's ``obligations`` list (dates, scope, reasons) for the
versions shown. The evidence comes from the sources (`sources.SOURCES`), each called once
for the versions shown. Statuses, for one version and one obligation:

- ``not_yet_due``: aiact says it applies from a later date (its status ``pending``);
- ``not_expected``: it applies, but the registry holds no evidence for it (cooperation
  with the Commission, serious incidents): shown as such, never as missing;
- ``met``: a source offers evidence that meets it;
- ``overdue``: a source says so, or the due date passed without evidence that meets it
  (the earliest date a source gives, such as the Code of Practice's dates for a
  Framework or an Annex XII request's; otherwise aiact's ``comply_by``);
- ``incomplete``: evidence that does not yet meet it (missing items), not past due;
- ``missing``: nothing that meets it, not past due (a source's ``pending`` evidence, a
  document not submitted yet or a mandate that starts later, counts as nothing yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aioffice.registry.choices import PUBLIC_LIST_STATUSES
from aioffice.registry.evidence import Evidence, EvidenceSource
from aioffice.registry.models import ModelVersion, Provider
from aioffice.registry.selectors import versions_visible_to

# aiact's obligation ids, in the order of its answer (a test holds them equal to aiact's).
OBLIGATIONS: tuple[str, ...] = (
    "art52_1",
    "art53_1_a",
    "art53_1_b",
    "art53_1_c",
    "art53_1_d",
    "art53_3",
    "art54_1",
    "art55_1_a",
    "art55_1_b",
    "art55_1_c",
    "art55_1_d",
)
# What each obligation asks, in a few words for the lists (the law is in aiact's citations).
OBLIGATION_TITLES: dict[str, Promise] = {
    "art52_1": _("Notification to the Commission"),
    "art53_1_a": _("Technical documentation (Annex XI)"),
    "art53_1_b": _("Information for downstream providers (Annex XII)"),
    "art53_1_c": _("Copyright policy"),
    "art53_1_d": _("Summary of the training content"),
    "art53_3": _("Cooperation with the Commission"),
    "art54_1": _("Authorised representative"),
    "art55_1_a": _("Model evaluation"),
    "art55_1_b": _("Systemic risk assessment and mitigation"),
    "art55_1_c": _("Serious incidents"),
    "art55_1_d": _("Cybersecurity"),
}
# Obligations the registry holds no evidence for: cooperation happens in the Office's
# procedures, serious incidents are reported to supervision (its own issue).
NOT_EXPECTED: frozenset[str] = frozenset({"art53_3", "art55_1_c"})

STATUSES: dict[str, Promise] = {
    "met": _("Met"),
    "incomplete": _("Incomplete"),
    "missing": _("Missing"),
    "overdue": _("Overdue"),
    "not_yet_due": _("Not yet due"),
    "not_expected": _("No evidence expected in the registry"),
}
GAP_STATUSES: tuple[str, ...] = ("overdue", "missing", "incomplete")

# aiact's statuses of an obligation that applies: now, or from a later date.
_APPLIES_NOW = "applicable"
_APPLIES_LATER = "pending"


def obligation_label(obligation: str) -> str:
    """ "art53_1_a" → "Art. 53(1)(a)" (formatting of aiact's id, not law)."""
    article, *rest = obligation.removeprefix("art").split("_")
    points = "".join(f"({part})" for part in rest)
    return f"Art. {article}{points}"


@dataclass(frozen=True)
class ObligationCompliance:
    """One obligation of one version: aiact's dates and the evidence, combined."""

    obligation: str
    applies_from: date | None
    due: date | None
    scope: str
    status: str
    detail: str
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        return obligation_label(self.obligation)

    @property
    def title(self) -> Promise:
        return OBLIGATION_TITLES[self.obligation]

    @property
    def status_label(self) -> Promise:
        return STATUSES[self.status]

    @property
    def is_gap(self) -> bool:
        return self.status in GAP_STATUSES


@dataclass(frozen=True)
class VersionCompliance:
    """A version, its obligations that apply (now or later) and those that do not."""

    version: ModelVersion
    obligations: tuple[ObligationCompliance, ...]
    not_applicable: tuple[tuple[str, str], ...]  # (obligation, aiact's reason)

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUSES, 0)
        for item in self.obligations:
            found[item.status] += 1
        return found


@dataclass(frozen=True)
class GapFilter:
    """The filters of the lists (all optional)."""

    obligation: str | None = None
    status: str | None = None
    provider: int | None = None
    systemic_risk: bool = False

    def matches(self, item: ObligationCompliance) -> bool:
        if self.obligation and item.obligation != self.obligation:
            return False
        return not self.status or item.status == self.status


# --- the versions ------------------------------------------------------------------------------


def monitored_versions(request: HttpRequest) -> QuerySet[ModelVersion]:
    """The versions a person may see that have an assessment (none: nothing to monitor)."""
    return versions_visible_to(request).filter(current_assessment__isnull=False)


def with_answers(versions: QuerySet[ModelVersion]) -> QuerySet[ModelVersion]:
    """The versions with their current answer (stored compressed: it is read whole and
    taken apart in Python, so only for the versions shown), without the facts."""
    return versions.select_related("model__provider__organisation", "current_assessment").defer(
        "current_assessment__facts"
    )


class CompliancePages:
    """Filtered versions that a paginator slices: the count is SQL's, and a slice is the
    versions' compliance (`compliance_of`, the sources called once for the slice)."""

    def __init__(self, versions: QuerySet[ModelVersion], found: GapFilter, on: date) -> None:
        self.versions = with_answers(filter_versions(versions, found)).order_by(
            "model__provider__organisation__name", "model__name", "label", "pk"
        )
        self.found = found
        self.on = on

    def count(self) -> int:
        return self.versions.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[VersionCompliance]:
        return compliance_of(list(self.versions[index]), self.on)


def _status_is(obligation: str, statuses: Iterable[str]) -> Q:
    return Q(**{f"current_assessment__obligations__{obligation}__in": list(statuses)})


def _any(obligations: Iterable[str], statuses: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for obligation in obligations:
        condition |= _status_is(obligation, statuses)
    return condition


def filter_versions(versions: QuerySet[ModelVersion], found: GapFilter) -> QuerySet[ModelVersion]:
    """The versions that may hold a row matching the filter, decided in SQL from the current
    assessment's obligation statuses (the evidence is weighed for the page shown)."""
    if found.provider is not None:
        versions = versions.filter(model__provider_id=found.provider)
    if found.systemic_risk:
        versions = versions.filter(
            current_assessment__systemic_risk_status__in=PUBLIC_LIST_STATUSES
        )
    obligations: tuple[str, ...] = (found.obligation,) if found.obligation else OBLIGATIONS
    if found.status == "not_yet_due":
        return versions.filter(_any(obligations, [_APPLIES_LATER]))
    if found.status == "not_expected":
        expected = [o for o in obligations if o in NOT_EXPECTED]
        return versions.filter(_any(expected, [_APPLIES_NOW]))
    if found.status in ("met", *GAP_STATUSES):
        evidenced = [o for o in obligations if o not in NOT_EXPECTED]
        return versions.filter(_any(evidenced, [_APPLIES_NOW]))
    if found.obligation:
        return versions.filter(_any(obligations, [_APPLIES_NOW, _APPLIES_LATER]))
    return versions  # no condition on the answer: a version where nothing applies has no row


# --- the combination ---------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _answers(version: ModelVersion) -> list[dict[str, Any]]:
    """The obligations of the version's current answer."""
    assessment = version.current_assessment
    if assessment is None:
        return []
    return list((assessment.result or {}).get("obligations") or [])


def _combine(
    obligation: str,
    applies_from: date | None,
    due: date | None,
    later: bool,
    evidence: list[Evidence],
    on: date,
) -> tuple[str, str, date | None]:
    """(status, detail, due) of one obligation that applies."""
    met = [e for e in evidence if e.status == "met"]
    if met:
        return "met", "; ".join(e.detail for e in met if e.detail), due
    if later:
        when = applies_from.isoformat() if applies_from else "?"
        return "not_yet_due", str(_("applies from %(day)s") % {"day": when}), due
    if obligation in NOT_EXPECTED and not evidence:
        return "not_expected", "", due
    details = [e.detail for e in evidence if e.detail]
    dues = [e.due for e in evidence if e.due is not None]
    deadline = min(dues) if dues else due
    if any(e.status == "overdue" for e in evidence) or (deadline is not None and deadline < on):
        if deadline is not None and deadline < on:
            days = (on - deadline).days
            details.append(
                ngettext(
                    "%(days)s day past the due date %(day)s",
                    "%(days)s days past the due date %(day)s",
                    days,
                )
                % {"days": days, "day": deadline.isoformat()}
            )
        return "overdue", "; ".join(details), deadline
    if any(e.status == "incomplete" for e in evidence):
        return "incomplete", "; ".join(details), deadline
    if deadline is not None:
        details.append(str(_("due by %(day)s") % {"day": deadline.isoformat()}))
    else:
        details.append(str(_("no due date known yet")))
    return "missing", "; ".join(details), deadline


def compliance_of(
    versions: Sequence[ModelVersion], on: date, sources: Sequence[EvidenceSource] | None = None
) -> list[VersionCompliance]:
    """Each version's obligations with their evidence and status on `on`: one call of each
    source for all the versions, no query per version."""
    if sources is None:
        from aioffice.registry.monitoring.sources import SOURCES

        sources = SOURCES
    versions = list(versions)
    held: dict[tuple[int, str], list[Evidence]] = {}
    if versions:
        for source in sources:
            for item in source(versions, on):
                held.setdefault((item.version_id, item.obligation), []).append(item)
    out: list[VersionCompliance] = []
    for version in versions:
        items: list[ObligationCompliance] = []
        not_applicable: list[tuple[str, str]] = []
        for answer in _answers(version):
            oid = answer.get("id")
            if oid not in OBLIGATION_TITLES:
                continue
            status = answer.get("status")
            if status not in (_APPLIES_NOW, _APPLIES_LATER):
                reasons = answer.get("reasons") or [""]
                not_applicable.append((oid, str(reasons[0])))
                continue
            evidence = held.get((version.pk, oid), [])
            applies_from = _day(answer.get("applicable_from"))
            result, detail, due = _combine(
                oid,
                applies_from,
                _day(answer.get("comply_by")),
                status == _APPLIES_LATER,
                evidence,
                on,
            )
            items.append(
                ObligationCompliance(
                    obligation=oid,
                    applies_from=applies_from,
                    due=due,
                    scope=str(answer.get("scope") or "full"),
                    status=result,
                    detail=detail,
                    evidence=tuple(evidence),
                )
            )
        out.append(VersionCompliance(version, tuple(items), tuple(not_applicable)))
    return out


def gap_rows(
    compliances: Iterable[VersionCompliance], found: GapFilter
) -> Iterator[tuple[VersionCompliance, ObligationCompliance]]:
    """The (version, obligation) rows that match the filter."""
    for compliance in compliances:
        for item in compliance.obligations:
            if found.matches(item):
                yield compliance, item


def all_gap_rows(
    versions: QuerySet[ModelVersion], found: GapFilter, on: date, batch_size: int = 500
) -> Iterator[tuple[VersionCompliance, ObligationCompliance]]:
    """Every matching row of the filtered versions, in keyset batches by id: one query for
    the versions and one call of each source per batch (for the CSV export)."""
    versions = with_answers(filter_versions(versions, found)).order_by("pk")
    last = 0
    while True:
        batch = list(versions.filter(pk__gt=last)[:batch_size])
        if not batch:
            return
        yield from gap_rows(compliance_of(batch, on), found)
        last = batch[-1].pk


# --- the Office-wide counts (SQL) --------------------------------------------------------------


@dataclass
class ObligationCount:
    obligation: str
    due: int = 0  # aiact: applies now
    later: int = 0  # aiact: applies from a later date

    @property
    def label(self) -> str:
        return obligation_label(self.obligation)

    @property
    def title(self) -> Promise:
        return OBLIGATION_TITLES[self.obligation]

    @property
    def expected(self) -> bool:
        return self.obligation not in NOT_EXPECTED


@dataclass
class ProviderCount:
    provider_id: int
    name: str
    versions: int = 0
    due: int = 0  # obligations in force that the registry evidences
    later: int = 0


@dataclass
class Summary:
    versions: int = 0
    by_obligation: list[ObligationCount] = field(default_factory=list)
    by_provider: list[ProviderCount] = field(default_factory=list)

    @property
    def largest(self) -> int:
        return max([c.due + c.later for c in self.by_obligation] + [1])


def summary(versions: QuerySet[ModelVersion], top: int = 20) -> Summary:
    """How many versions each obligation applies to now and from a later date, by obligation
    and by provider (the `top` providers with the most obligations in force), in two
    queries: the versions are grouped by provider and by the whole `{id: status}` of their
    current assessment, which takes few distinct values, so the database only counts (no
    JSON is taken apart per row) and Python adds up the groups; then the names of the
    providers shown."""
    groups = (
        versions.order_by()
        .values("model__provider_id", "current_assessment__obligations")
        .annotate(n=Count("pk"))
    )
    by_obligation = {oid: ObligationCount(oid) for oid in OBLIGATIONS}
    by_provider: dict[int, ProviderCount] = {}
    total = 0
    for group in groups:
        n = group["n"]
        total += n
        provider_id = group["model__provider_id"]
        provider = by_provider.setdefault(provider_id, ProviderCount(provider_id, ""))
        provider.versions += n
        statuses = group["current_assessment__obligations"] or {}
        for oid, status in statuses.items():
            count = by_obligation.get(oid)
            if count is None:
                continue
            if status == _APPLIES_NOW:
                count.due += n
                if oid not in NOT_EXPECTED:
                    provider.due += n
            elif status == _APPLIES_LATER:
                count.later += n
                provider.later += n
    shown = sorted(by_provider.values(), key=lambda p: (-p.due, -p.versions, p.provider_id))[:top]
    names = dict(
        Provider.objects.filter(pk__in=[p.provider_id for p in shown]).values_list(
            "pk", "organisation__name"
        )
    )
    for provider in shown:
        provider.name = names.get(provider.provider_id, "")
    return Summary(total, list(by_obligation.values()), shown)
