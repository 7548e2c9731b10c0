"""Signing in: passwords, lock-out, and the second factor for AI Office staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import TEST_PASSWORD, make_user, signed_in_client, totp_device

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _code(device: object, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)  # type: ignore[attr-defined]
    totp.time = totp.time + offset * device.step  # type: ignore[attr-defined]
    return f"{totp.token():06d}"


def test_a_provider_logs_in_with_a_password() -> None:
    make_user(Role.ORGANISATION_MEMBER, "priya")
    client = Client()
    response = client.post(LOGIN, {"username": "priya", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200


def test_a_wrong_password_is_a_form_error_not_a_500() -> None:
    make_user(Role.ORGANISATION_MEMBER, "priya")
    response = Client().post(LOGIN, {"username": "priya", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_an_empty_form_names_the_missing_fields() -> None:
    response = Client().post(LOGIN, {})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}


def test_lock_out_after_repeated_failed_logins(settings: object) -> None:
    make_user(Role.ORGANISATION_MEMBER, "priya")
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT  # type: ignore[attr-defined]
    for _ in range(limit - 1):
        response = client.post(LOGIN, {"username": "priya", "password": "wrong"})
        assert response.status_code == 200
    locked = client.post(LOGIN, {"username": "priya", "password": "wrong"})
    assert locked.status_code == 429
    assert "locked" in locked.content.decode().lower()
    # Even the right password is refused while locked out.
    again = Client().post(LOGIN, {"username": "priya", "password": TEST_PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in Client().session


def test_staff_without_a_second_factor_are_sent_to_set_one_up() -> None:
    make_user(Role.POLICY_OFFICER, "paula")
    client = Client()
    response = client.post(LOGIN, {"username": "paula", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor_setup")
    # Signed in with a password only, staff pages stay closed.
    for url in ("/office/", "/office/audit/", "/accounts/"):
        blocked = client.get(url)
        assert blocked.status_code == 302, url
        assert blocked["Location"] == reverse("accounts:second_factor")
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_staff_enrol_an_authenticator_then_reach_staff_pages() -> None:
    user = make_user(Role.POLICY_OFFICER, "paula")
    client = Client()
    client.post(LOGIN, {"username": "paula", "password": TEST_PASSWORD})
    page = client.get(reverse("accounts:second_factor_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = user.totpdevice_set.get(confirmed=False)
    wrong = client.post(reverse("accounts:second_factor_setup"), {"token": "000000"})
    assert wrong.status_code == 200
    # A wrong code throttles the device for a moment (django-otp); a right code then waits.
    throttled = client.post(reverse("accounts:second_factor_setup"), {"token": _code(device)})
    assert throttled.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    confirmed = client.post(reverse("accounts:second_factor_setup"), {"token": _code(device)})
    assert confirmed.status_code == 302
    assert client.get("/office/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.second_factor.enrolled").count() == 1


def test_staff_with_an_authenticator_give_the_code_after_the_password() -> None:
    user = make_user(Role.LEGAL_OFFICER, "lena")
    device = totp_device(user)
    client = Client()
    response = client.post(
        LOGIN, {"username": "lena", "password": TEST_PASSWORD, "next": "/office/"}
    )
    assert response["Location"] == reverse("accounts:second_factor")
    assert "_auth_user_id" not in client.session  # not signed in before the code
    assert client.get("/office/").status_code == 302
    bad = client.post(reverse("accounts:second_factor"), {"token": "12ab"})
    assert "six digits" in bad.content.decode()
    done = client.post(reverse("accounts:second_factor"), {"token": _code(device)})
    assert done.status_code == 302
    assert done["Location"] == "/office/"
    assert client.get("/office/").status_code == 200


def test_wrong_codes_count_towards_lock_out() -> None:
    user = make_user(Role.LEGAL_OFFICER, "lena")
    totp_device(user)
    client = Client()
    client.post(LOGIN, {"username": "lena", "password": TEST_PASSWORD})
    for _ in range(4):
        assert (
            client.post(reverse("accounts:second_factor"), {"token": "000000"}).status_code == 200
        )
    last = client.post(reverse("accounts:second_factor"), {"token": "000000"})
    assert last.status_code == 429
    assert client.get(reverse("accounts:second_factor"))["Location"] == reverse("accounts:login")
    # The account is locked: the right password no longer opens even the first step.
    again = Client().post(LOGIN, {"username": "lena", "password": TEST_PASSWORD})
    assert again.status_code == 429


def test_an_open_redirect_in_next_is_ignored() -> None:
    make_user(Role.ORGANISATION_MEMBER, "priya")
    response = Client().post(
        LOGIN, {"username": "priya", "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_logout_ends_the_session() -> None:
    user = make_user(Role.ORGANISATION_MEMBER, "priya")
    client = signed_in_client(user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/").status_code == 302


@pytest.mark.parametrize(
    ("role", "dashboard", "audit"),
    [
        (Role.POLICY_OFFICER, 200, 403),
        (Role.TECHNICAL_OFFICER, 200, 403),
        (Role.LEGAL_OFFICER, 200, 200),
        (Role.HEAD_OF_UNIT, 200, 200),
        (Role.ADMINISTRATOR, 200, 200),
        (Role.ORGANISATION_MEMBER, 403, 403),
        (Role.NATIONAL_AUTHORITY_MEMBER, 403, 403),
        (Role.SCIENTIFIC_PANEL_MEMBER, 403, 403),
        (None, 403, 403),
    ],
)
def test_staff_pages_for_every_role(role: str | None, dashboard: int, audit: int) -> None:
    client = signed_in_client(make_user(role))
    assert client.get("/office/").status_code == dashboard
    assert client.get("/office/audit/").status_code == audit


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    for url in ("/office/", "/office/audit/", "/accounts/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_the_admin_is_for_administrators_after_the_second_factor() -> None:
    admin = make_user(Role.ADMINISTRATOR, "ada")
    assert signed_in_client(admin).get("/admin/").status_code == 200
    unverified = signed_in_client(admin, second_factor=False).get("/admin/")
    assert unverified.status_code == 302
    head = signed_in_client(make_user(Role.HEAD_OF_UNIT, "hugo")).get("/admin/")
    assert head.status_code == 302
    assert "login" in head["Location"]


def test_the_administrator_role_opens_the_admin_site_and_the_audit_event_says_so() -> None:
    ada = make_user(Role.ADMINISTRATOR, "ada")
    hugo = make_user(Role.HEAD_OF_UNIT, "hugo")
    ada.refresh_from_db()
    hugo.refresh_from_db()
    assert (ada.is_staff, hugo.is_staff) == (True, False)
    event = AuditEvent.objects.filter(
        action="accounts.membership.added", object_repr__startswith="ada"
    )
    assert event.get().after["admin_site"] is True
