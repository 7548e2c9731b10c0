"""Read-only admin views of documentation; every change goes through `services`."""

from __future__ import annotations

from django.contrib import admin

from aioffice.core.admin import ReadOnlyAdmin
from aioffice.registry.documentation.models import (
    AnnexXIIRequest,
    DocumentAttachment,
    DocumentSubmission,
)


@admin.register(DocumentSubmission)
class DocumentSubmissionAdmin(ReadOnlyAdmin[DocumentSubmission]):
    list_display = ["version", "doc_type", "number", "status", "submitted_at"]
    list_filter = ["doc_type", "status"]
    list_select_related = ["version__model"]


@admin.register(DocumentAttachment)
class DocumentAttachmentAdmin(ReadOnlyAdmin[DocumentAttachment]):
    list_display = ["original_name", "submission", "field_key", "size", "content_type"]
    list_select_related = ["submission"]


@admin.register(AnnexXIIRequest)
class AnnexXIIRequestAdmin(ReadOnlyAdmin[AnnexXIIRequest]):
    list_display = ["requester", "version", "asked_on", "due_on", "answered_on"]
    list_select_related = ["requester", "version__model"]
