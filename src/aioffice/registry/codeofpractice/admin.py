"""Read-only admin views of the Code of Practice records (changes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from aioffice.core.admin import ReadOnlyAdmin
from aioffice.registry.codeofpractice.models import (
    FrameworkSubmission,
    ModelReportSubmission,
    Signature,
)


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin[Signature]):
    list_display = ["provider", "chapter", "signed_on", "withdrawn_on"]
    list_filter = ["chapter"]
    search_fields = ["provider__organisation__name"]
    list_select_related = ["provider__organisation"]


@admin.register(FrameworkSubmission)
class FrameworkSubmissionAdmin(ReadOnlyAdmin[FrameworkSubmission]):
    list_display = ["provider", "framework_version", "confirmed_on", "submitted_on", "late"]
    list_filter = ["late"]
    search_fields = ["provider__organisation__name"]
    list_select_related = ["provider__organisation"]


@admin.register(ModelReportSubmission)
class ModelReportSubmissionAdmin(ReadOnlyAdmin[ModelReportSubmission]):
    list_display = ["version", "kind", "most_capable", "submitted_on", "due", "late"]
    list_filter = ["kind", "late", "most_capable"]
    list_select_related = ["version__model"]
