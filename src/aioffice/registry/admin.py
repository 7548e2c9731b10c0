from __future__ import annotations

from django.contrib import admin

from aioffice.core.admin import ReadOnlyAdmin
from aioffice.registry.models import (
    Assessment,
    AuthorisedRepresentative,
    Decision,
    GPAIModel,
    Hearing,
    ModelVersion,
    Notification,
    Provider,
    ReassessmentRequest,
)


@admin.register(Provider)
class ProviderAdmin(ReadOnlyAdmin[Provider]):
    list_display = ["organisation", "lacks_representative", "lacks_representative_since"]
    list_filter = ["lacks_representative"]
    search_fields = ["organisation__name"]


@admin.register(AuthorisedRepresentative)
class AuthorisedRepresentativeAdmin(ReadOnlyAdmin[AuthorisedRepresentative]):
    list_display = ["provider", "representative", "union_country", "start", "end", "terminated_at"]
    search_fields = ["provider__organisation__name", "representative__name"]


@admin.register(GPAIModel)
class GPAIModelAdmin(ReadOnlyAdmin[GPAIModel]):
    list_display = ["name", "provider", "created_at"]
    search_fields = ["name", "provider__organisation__name"]
    list_select_related = ["provider__organisation"]


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin[ModelVersion]):
    list_display = ["model", "label", "placed_on_market", "training_compute_flop", "compute_method"]
    search_fields = ["model__name", "label"]
    list_select_related = ["model"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin[Assessment]):
    list_display = ["version", "computed_at", "systemic_risk_status", "rules_version", "law"]
    list_filter = ["systemic_risk_status", "law"]
    list_select_related = ["version__model"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["tracking_number", "provider", "version", "status", "due", "late"]
    list_filter = ["status", "late", "trigger"]
    search_fields = ["tracking_number", "provider__organisation__name"]
    list_select_related = ["provider__organisation", "version__model"]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin[Hearing]):
    list_display = ["notification", "draft_kind", "opened_on", "ends_on"]
    list_select_related = ["notification"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin[Decision]):
    list_display = ["version", "kind", "decided_on", "notification"]
    list_filter = ["kind"]
    list_select_related = ["version__model", "notification"]


@admin.register(ReassessmentRequest)
class ReassessmentRequestAdmin(ReadOnlyAdmin[ReassessmentRequest]):
    list_display = ["version", "requested_on", "earliest"]
    list_select_related = ["version__model"]
