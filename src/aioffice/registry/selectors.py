"""Reads of the registry: who may see what, aiact's input for a version, the public list."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db.models import Min, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from aiact import Law, ModelFacts, estimate_compute
from aioffice.accounts.models import Membership
from aioffice.core.models import AuditChainHead
from aioffice.core.permissions import is_office_staff
from aioffice.registry.choices import (
    DECISIONS_NOT_IN_AIACT,
    PUBLIC_LIST_STATUSES,
    ComputeMethod,
    NotificationStatus,
    PublicField,
)
from aioffice.registry.models import (
    AuthorisedRepresentative,
    Decision,
    GPAIModel,
    ModelVersion,
    Notification,
    Provider,
    current_mandates,
)

M = TypeVar("M", bound=Model)

# --- who may see what ------------------------------------------------------------------------


def provider_scope(request: HttpRequest) -> Q | None:
    """The providers a person may see, as a condition on `Provider`; None means all.

    Deny unless a rule grants: AI Office staff (after their second factor) see every
    provider; a member of a provider sees that provider; a member of an authorised
    representative sees the providers it holds a current mandate for. Nobody else sees any.
    """
    if is_office_staff(request):
        return None
    user: Any = request.user
    if not user.is_authenticated:
        return Q(pk__in=[])
    if not user.is_active:
        return Q(pk__in=[])
    own_organisations = Membership.objects.filter(user=user).values("organisation_id")
    represented = AuthorisedRepresentative.objects.filter(
        current_mandates(timezone.now().date()), representative_id__in=own_organisations
    ).values("provider_id")
    return Q(organisation_id__in=own_organisations) | Q(pk__in=represented)


def providers_visible_to(request: HttpRequest) -> QuerySet[Provider]:
    scope = provider_scope(request)
    providers = Provider.objects.select_related("organisation")
    return providers if scope is None else providers.filter(scope)


def models_visible_to(request: HttpRequest) -> QuerySet[GPAIModel]:
    scope = provider_scope(request)
    models = GPAIModel.objects.select_related("provider__organisation")
    if scope is None:
        return models
    return models.filter(provider__in=Provider.objects.filter(scope).values("pk"))


def versions_visible_to(request: HttpRequest) -> QuerySet[ModelVersion]:
    scope = provider_scope(request)
    versions = ModelVersion.objects.select_related(
        "model__provider__organisation", "current_assessment", "modifies__model"
    )
    if scope is None:
        return versions
    return versions.filter(model__provider__in=Provider.objects.filter(scope).values("pk"))


# How long a cached count or order is kept at most: a backstop for a change made outside the
# services (a shell, a data migration), which writes no audit event.
CACHE_SECONDS = 60


def audit_head() -> str | None:
    """The hash of the audit chain's last event (one primary-key read), or None while the
    trail is empty. Every state change appends an event in its own transaction (a version
    assessed, a reassessment batch, a decision, an edited version, a new membership), so
    a count or an order cached under it is read again after any change."""
    return AuditChainHead.objects.filter(id=1).values_list("hash", flat=True).first()


class PagedById(Generic[M]):
    """A list whose pages are read in two steps within one query: the page's ids first,
    from a narrow query (an index scan, or a sort of a few narrow columns), then the rows of
    those ids with everything they join. A deep page then skips index entries, not joined
    rows. Counts, slices (for paginators) and iterates like the queryset it wraps."""

    def __init__(
        self, rows: QuerySet[M], ordering: Sequence[str], count_key: str | None = None
    ) -> None:
        self.rows = rows.order_by(*ordering)
        self.ids = rows.select_related(None).only("pk").order_by(*ordering)
        self.count_key = count_key

    def count(self) -> int:
        """The number of rows; with a `count_key`, kept in the cache under the audit chain's
        head (`audit_head`), so that it is counted once per change, not once per page."""
        if self.count_key is None:
            return self.ids.count()
        head = audit_head()
        if not head:
            return self.ids.count()
        key = f"registry:count:{head}:{self.count_key}"
        found = cache.get(key)
        if found is None:
            found = self.ids.count()
            cache.set(key, found, CACHE_SECONDS)
        return int(found)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        page = self.ids[index].values("pk")
        return list(self.rows.filter(pk__in=page))

    def __iter__(self) -> Iterator[M]:
        return iter(self.rows)

    def iterator(self, chunk_size: int = 500) -> Iterator[M]:
        return self.rows.iterator(chunk_size=chunk_size)


# The columns the version list reads (`version_rows`); the rest of the row is not loaded.
VERSION_ROW_FIELDS = (
    "id",
    "label",
    "placed_on_market",
    "training_compute_flop",
    "compute_method",
    "model__id",
    "model__name",
    "model__provider__id",
    "model__provider__organisation__id",
    "model__provider__organisation__name",
    "systemic_risk_status",
    "current_assessment__id",
    "current_assessment__computed_at",
)


def version_rows(
    request: HttpRequest,
    *,
    provider: int | None = None,
    model: int | None = None,
    systemic_risk_status: str | None = None,
) -> PagedById[ModelVersion]:
    """The versions a person may see, newest first, as the version list shows them: one
    query with the model, provider and current status joined, only the columns shown.
    Newest first (by id): a page filtered by status is read from the index on (status, id),
    and its count from the same index, without reading the assessments."""
    versions = (
        versions_visible_to(request)
        .select_related(None)
        .select_related("model__provider__organisation", "current_assessment")
        .only(*VERSION_ROW_FIELDS)
    )
    if provider is not None:
        versions = versions.filter(model__provider_id=provider)
    if model is not None:
        versions = versions.filter(model_id=model)
    if systemic_risk_status is not None:
        versions = versions.filter(systemic_risk_status=systemic_risk_status)
    # Staff see every version: their count depends on the filters only, and is cached.
    everyone = is_office_staff(request)
    key = f"versions:{provider}:{model}:{systemic_risk_status}" if everyone else None
    return PagedById(versions, ["-id"], count_key=key)


def notifications_visible_to(request: HttpRequest) -> QuerySet[Notification]:
    scope = provider_scope(request)
    notifications = Notification.objects.select_related(
        "provider__organisation", "version__model"
    ).defer("aiact_check")
    if scope is None:
        return notifications
    return notifications.filter(provider__in=Provider.objects.filter(scope).values("pk"))


# --- aiact's input ---------------------------------------------------------------------------

# aiact's input fields and the version fields they come from, to name the field in errors.
FACT_FIELDS: dict[str, str] = {
    "training_compute_flop": "training_compute_flop",
    "parameters": "parameters",
    "training_tokens": "training_tokens",
    "generates": "generates",
    "placed_on_market": "placed_on_market",
    "open_source": "open_source",
    "modifies": "modifies",
    "modification_compute_flop": "modification_compute_flop",
    "eu_registered_business_users": "eu_business_users",
    "gpu_hours": "compute_gpu_hours",
    "peak_flops": "compute_peak_flops",
    "utilisation": "compute_utilisation",
}


def version_field_of(aiact_field: str) -> str:
    """The version field behind an aiact input field ("open_source.rights" → "open_source",
    "generates[0]" → "generates")."""
    head = re.split(r"[.\[]", aiact_field, maxsplit=1)[0]
    return FACT_FIELDS.get(head, head)


def original_of(version: ModelVersion) -> tuple[float | None, bool]:
    """The compute and systemic-risk status of the version a modification modifies, as its
    current assessment found them (its stated compute when it has none)."""
    original = version.modifies
    assert original is not None
    current = original.current_assessment
    if current is None:
        return original.training_compute_flop, False
    flop = current.training_compute_flop
    return (
        flop if flop is not None else original.training_compute_flop,
        current.systemic_risk_status in PUBLIC_LIST_STATUSES,
    )


# A version's part in the Art. 52 procedure, as aiact reads it: its decisions
# ({type, date}) and the date the threshold was met or known (the first trigger date).
Procedure = tuple[list[dict[str, str]], date | None]

NO_PROCEDURE: Procedure = ([], None)


def procedures_of(version_ids: list[int]) -> dict[int, Procedure]:
    """The decisions and first trigger date of each version, in two queries."""
    found: dict[int, Procedure] = {pk: ([], None) for pk in version_ids}
    decisions = (
        Decision.objects.filter(version_id__in=version_ids)
        .exclude(kind__in=DECISIONS_NOT_IN_AIACT)
        .order_by("decided_on", "id")
        .values_list("version_id", "kind", "decided_on")
    )
    for version_id, kind, decided_on in decisions:
        found[version_id][0].append({"type": kind, "date": decided_on.isoformat()})
    known = (
        Notification.objects.filter(version_id__in=version_ids, trigger_date__isnull=False)
        .exclude(status=NotificationStatus.WITHDRAWN)
        .values("version_id")
        .annotate(first=Min("trigger_date"))
        .values_list("version_id", "first")
    )
    for version_id, first in known:
        found[version_id] = (found[version_id][0], first)
    return found


def version_facts(
    version: ModelVersion,
    *,
    law: Law,
    as_of: date,
    original: tuple[float | None, bool] | None = None,
    procedure: Procedure | None = None,
) -> dict[str, Any]:
    """aiact's input (`ModelFacts.from_json`) for a version, on a date.

    The training compute goes as reported; for 6·P·D it is left to aiact to estimate
    from the parameters and tokens; for a hardware estimate aiact's `estimate_compute`
    turns the hardware figures into FLOP. `original` overrides what is known of the
    modified version (`original_of`), for a reassessment that has just updated it.
    `procedure` gives the version's decisions and trigger date (`procedures_of`); without
    it they are read from the database.
    Raises `aiact.InputError` naming an aiact field when a fact is not acceptable.
    """
    flop: float | None = version.training_compute_flop
    if version.compute_method == ComputeMethod.SIX_PD:
        flop = None
    elif version.compute_method == ComputeMethod.HARDWARE:
        estimate = estimate_compute(
            gpu_hours=version.compute_gpu_hours,
            peak_flops=version.compute_peak_flops,
            utilisation=version.compute_utilisation,
            on=as_of,
            law=law,
        )
        flop = float(estimate.flop)
    facts: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "training_compute_flop": flop,
        "parameters": version.parameters,
        "training_tokens": version.training_tokens,
        "generates": list(version.generates),
        "placed_on_market": (
            version.placed_on_market.isoformat() if version.placed_on_market else None
        ),
        "provider_established_in_eu": version.model.provider.organisation.established_in_union,
        "open_source": version.open_source,
        "modifies": None,
        "modification_compute_flop": version.modification_compute_flop,
        "eu_registered_business_users": version.eu_business_users,
    }
    if procedure is None:
        procedure = procedures_of([version.pk])[version.pk] if version.pk else NO_PROCEDURE
    decisions, known_on = procedure
    if decisions:
        facts["decisions"] = decisions
    if known_on is not None:
        facts["threshold_known_on"] = known_on.isoformat()
    if version.modifies_id is not None:
        original_flop, original_sr = original if original is not None else original_of(version)
        facts["modifies"] = {"training_compute_flop": original_flop, "systemic_risk": original_sr}
    return facts


def check_facts(facts: dict[str, Any]) -> ModelFacts:
    """aiact reads the facts, or raises `InputError` naming the field."""
    return ModelFacts.from_json(facts)


def facts_hash(facts: dict[str, Any]) -> str:
    """SHA-256 of the facts without their date: equal facts, equal hash."""
    undated = {k: v for k, v in facts.items() if k != "as_of"}
    return hashlib.sha256(
        json.dumps(undated, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


# --- the public list (Art. 52(6)) ------------------------------------------------------------

PUBLIC_COLUMNS: tuple[str, ...] = tuple(PublicField.values)


# What the public list reads of a version and its current assessment (`public_entry`).
PUBLIC_ROW_FIELDS = (
    "id",
    "label",
    "public_fields",
    "systemic_risk_status",
    *(name for name in PublicField.values if name != PublicField.MODIFIES),
    "model__name",
    "model__public_description",
    "model__provider__id",
    "model__provider__organisation__name",
    "modifies__label",
    "modifies__model__name",
    "current_assessment__computed_at",
)


def systemic_risk_versions() -> PagedById[ModelVersion]:
    """The versions on the public list: their current assessment finds systemic risk
    (presumed, confirmed or designated), by provider, model and version. Public by design.
    Pages are read by id first (`PagedById`): the sort runs over names and ids only."""
    versions = (
        ModelVersion.objects.filter(systemic_risk_status__in=PUBLIC_LIST_STATUSES)
        .select_related("model__provider__organisation", "current_assessment", "modifies__model")
        .only(*PUBLIC_ROW_FIELDS)
    )
    return PagedById(
        versions, ["model__provider__organisation__name", "model__name", "label", "id"]
    )


class PublicList:
    """The public list, paginated like a queryset, with its order kept in the cache.

    Sorting every listed version by provider, model and version names on each page cost
    tens of milliseconds at the issue's scale. The order (the ids) and its length are kept
    in Django's cache under the audit chain's head: every state change (an assessment, a
    reassessment batch, a decision, an edited version) appends an audit event in its own
    transaction, which moves the head, so the next read sorts again. Reading the head is one
    primary-key lookup (none when the caller has just read it and passes it as `head`); a
    page is then the rows of its 50 ids, read fresh (names, fields, status), and a version
    no longer on the list is left out even before the order is sorted again. Nothing is
    cached while the trail is empty (a database filled outside the services)."""

    def __init__(self, head: str | None = None) -> None:
        self._head = head
        self._ids: list[int] | None = None
        self._count: int | None = None

    def head(self) -> str | None:
        if self._head is None:
            self._head = audit_head()
        return self._head

    def ids(self) -> list[int]:
        if self._ids is None:
            head = self.head()
            key = f"registry:public-list:{head}"
            ids = cache.get(key) if head else None
            if ids is None:
                ids = list(systemic_risk_versions().ids.values_list("pk", flat=True))
                if head:
                    cache.set_many(
                        {key: ids, f"registry:public-count:{head}": len(ids)}, CACHE_SECONDS
                    )
            self._ids = ids
        return self._ids

    def count(self) -> int:
        """The length of the order, kept apart from it so that a page served from the
        cache does not read the whole order back."""
        if self._count is None:
            head = self.head()
            found = cache.get(f"registry:public-count:{head}") if head else None
            self._count = len(self.ids()) if found is None else int(found)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[ModelVersion]:
        wanted = self.ids()[index]
        rows = systemic_risk_versions().rows.filter(pk__in=wanted).order_by()
        found = {row.pk: row for row in rows}
        return [found[pk] for pk in wanted if pk in found]

    def entries(self, index: slice) -> list[dict[str, Any]]:
        """`public_entry` of each version of a slice, read as plain rows (`values_list`):
        building model instances for 50 rows cost more than the query."""
        wanted = self.ids()[index]
        rows = (
            ModelVersion.objects.filter(
                pk__in=wanted, systemic_risk_status__in=PUBLIC_LIST_STATUSES
            )
            .order_by()
            .values_list("id", *PUBLIC_VALUES.values())
        )
        found = {row[0]: dict(zip(PUBLIC_VALUES, row[1:], strict=True)) for row in rows}
        return [_public_entry(found[pk]) for pk in wanted if pk in found]


# What `public_entry` reads, by name, and where (`values_list` paths).
PUBLIC_VALUES: dict[str, str] = {
    "model": "model__name",
    "provider": "model__provider__organisation__name",
    "version": "label",
    "description": "model__public_description",
    "systemic_risk_status": "systemic_risk_status",
    "assessed_at": "current_assessment__computed_at",
    "public_fields": "public_fields",
    **{name: name for name in PublicField.values if name != PublicField.MODIFIES},
    "modifies_label": "modifies__label",
    "modifies_model": "modifies__model__name",
}


def _public_entry(row: dict[str, Any]) -> dict[str, Any]:
    """The entry of a row read by `PUBLIC_VALUES` (a version with its current assessment)."""
    assert row["assessed_at"] is not None
    assert row["systemic_risk_status"] is not None
    marked = set(row["public_fields"])
    fields: dict[str, Any] = {}
    for name in PUBLIC_COLUMNS:
        if name not in marked:
            continue
        if name == PublicField.MODIFIES:
            label = row["modifies_label"]
            fields[name] = None if label is None else f"{row['modifies_model']} {label}"
        else:
            value = row[name]
            fields[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return {
        "model": row["model"],
        "provider": row["provider"],
        "version": row["version"],
        "description": row["description"],
        "systemic_risk_status": row["systemic_risk_status"],
        "assessed_at": row["assessed_at"],
        "fields": fields,
    }


def public_entry(version: ModelVersion) -> dict[str, Any]:
    """What the public list shows of a version: names, status, and only the public fields."""
    assessment = version.current_assessment
    assert assessment is not None
    original = version.modifies
    row = {
        "model": version.model.name,
        "provider": version.model.provider.organisation.name,
        "version": version.label,
        "description": version.model.public_description,
        "systemic_risk_status": version.systemic_risk_status,
        "assessed_at": assessment.computed_at,
        "public_fields": version.public_fields,
        "modifies_label": None if original is None else original.label,
        "modifies_model": None if original is None else original.model.name,
    }
    for name in PublicField.values:
        if name != PublicField.MODIFIES and name in version.public_fields:
            row[name] = getattr(version, name)
    return _public_entry(row)


def mandates_visible_to(request: HttpRequest) -> QuerySet[AuthorisedRepresentative]:
    """The mandates of the providers a person sees, and those their own organisation holds
    (a representative still sees a mandate it has terminated)."""
    visible = providers_visible_to(request).values("pk")
    mandates = AuthorisedRepresentative.objects.select_related(
        "representative", "provider__organisation"
    )
    user: Any = request.user
    if not user.is_authenticated:
        return mandates.filter(provider__in=visible)
    own = Membership.objects.filter(user=user).values("organisation_id")
    return mandates.filter(Q(provider__in=visible) | Q(representative_id__in=own))
