from __future__ import annotations

from django.contrib import admin

from aioffice.accounts.models import ApiToken, Membership, Organisation, User
from aioffice.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin[User]):
    list_display = ["username", "email", "is_active", "last_login"]
    search_fields = ["username", "email"]
    exclude = ["password"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin[Organisation]):
    list_display = ["name", "kind", "country", "established_in_union"]
    list_filter = ["kind", "established_in_union"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin[Membership]):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    exclude = ["secret_hash"]
