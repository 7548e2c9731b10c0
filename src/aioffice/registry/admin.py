from __future__ import annotations

from django.contrib import admin

from aioffice.core.admin import ReadOnlyAdmin
from aioffice.registry.models import (
    Assessment,
    AuthorisedRepresentative,
    GPAIModel,
    ModelVersion,
    Provider,
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
