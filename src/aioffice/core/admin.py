"""The Django admin: a read-only window for AI Office administrators, after the second factor.

Changes go through services (which write the audit trail), never through the admin. The
admin has no login page of its own: it sends people to the one sign-in, so lock-out and
the second factor apply there too.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import HttpRequest, HttpResponse

from aioffice.core.models import AuditEvent
from aioffice.core.permissions import is_office_staff


def _admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    return redirect_to_login(request.get_full_path())


def _admin_has_permission(request: HttpRequest) -> bool:
    user: Any = request.user
    if not is_office_staff(request):
        return False
    if not user.is_staff:
        return False
    return bool(user.has_role("administrator"))


admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.login = _admin_login  # type: ignore[method-assign]  # one sign-in for the whole site
admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]  # staff rule


M = TypeVar("M", bound=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    """Shows records; never adds, changes or deletes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    list_display = ["seq", "occurred_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "object_repr", "actor_label"]
