"""Shared test helpers: people in every role, signed-in clients, the role matrix.

Lives in `core` so every app's tests build on the same base (STYLE.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja import NinjaAPI

from aioffice.accounts import services
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User

TEST_PASSWORD = "Correct-Horse-42-battery"  # noqa: S105  (test fixture)

KIND_FOR_ROLE: dict[str, str] = {
    Role.POLICY_OFFICER: OrganisationKind.AI_OFFICE,
    Role.TECHNICAL_OFFICER: OrganisationKind.AI_OFFICE,
    Role.LEGAL_OFFICER: OrganisationKind.AI_OFFICE,
    Role.HEAD_OF_UNIT: OrganisationKind.AI_OFFICE,
    Role.ADMINISTRATOR: OrganisationKind.AI_OFFICE,
    Role.ORGANISATION_MEMBER: OrganisationKind.GPAI_PROVIDER,
    Role.NATIONAL_AUTHORITY_MEMBER: OrganisationKind.NATIONAL_AUTHORITY,
    Role.SCIENTIFIC_PANEL_MEMBER: OrganisationKind.SCIENTIFIC_PANEL,
}

# Every way a request can arrive: no one, a signed-in person with no role, each role.
ANONYMOUS = "anonymous"
NO_ROLE = "no_role"
ALL_PRINCIPALS: tuple[str, ...] = (ANONYMOUS, NO_ROLE, *Role.values)


def organisation(kind: str, name: str | None = None) -> Organisation:
    name = name or f"Test {kind}"
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return services.organisation_create(
        actor=None, name=name, kind=kind, country="BE", established_in_union=True
    )


def make_user(role: str | None, username: str | None = None) -> User:
    """A person with one role (or none), in an organisation of the matching kind."""
    username = username or (role or NO_ROLE).replace("_", "-")
    user = services.user_create(
        actor=None, username=username, email=f"{username}@test.example", password=TEST_PASSWORD
    )
    if role is not None:
        services.membership_add(
            actor=None, user=user, organisation=organisation(KIND_FOR_ROLE[role]), role=role
        )
    return user


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


@dataclass
class Principal:
    name: str
    user: User | None
    client: Client


def signed_in_client(user: User, *, second_factor: bool = True) -> Client:
    """A browser session; office staff have passed their second factor unless told not to."""
    client = Client()
    client.force_login(user)
    if second_factor and user.is_office_staff:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def principal(name: str) -> Principal:
    if name == ANONYMOUS:
        return Principal(name, None, Client())
    user = make_user(None if name == NO_ROLE else name)
    return Principal(name, user, signed_in_client(user))


# API routes whose role matrix lives with their own app's tests rather than in
# tests/aioffice/test_api.py. Each such app has a test that sends one request per route under
# its prefix for every principal (ALL_PRINCIPALS) and asserts that its samples cover
# `api_routes(api, prefix)` exactly, so a route added without a matrix entry fails there.
DELEGATED_API_PREFIXES: tuple[str, ...] = (
    "/api/v1/documentation/",
    "/api/v1/code-of-practice/",
    "/api/v1/watchlist/",
    "/api/v1/monitoring/",
    "/api/v1/evaluations/",
    "/api/v1/supervision/",
    "/api/v1/portal/",
    "/api/v1/cooperation/",
    "/api/v1/drafting/",
)


def api_routes(api: NinjaAPI, prefix: str = "/api/v1/") -> set[tuple[str, str]]:
    """(method, path) for every route of the OpenAPI document whose path starts with prefix."""
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if path.startswith(prefix)
    }
