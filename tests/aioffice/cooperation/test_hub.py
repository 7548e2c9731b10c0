"""The three doors into cooperation: the public index for everyone, the Office's hub for
staff after their second factor, the authority hub for people who act for a designated
authority (and nobody else), each for every principal."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import Organisation
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models import Authority
from aioffice.cooperation.permissions import (
    authorities_of,
    is_art74_8_user,
    is_authority_user,
    may_see_secure_section,
)
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client

pytestmark = pytest.mark.django_db


def _authority(organisation: Organisation, **fields: str) -> Authority:
    values = {
        "member_state": "FR",
        "name": "Test market surveillance authority",
        "kind": AuthorityKind.MARKET_SURVEILLANCE,
        "sector": AuthoritySector.GENERAL,
        **fields,
    }
    return Authority.objects.create(organisation=organisation, **values)


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_public_index_is_open_to_everyone(name: str) -> None:
    response = principal(name).client.get(reverse("cooperation:public_home"))
    assert response.status_code == 200
    assert 'data-function="database"' in response.content.decode()


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_office_hub_is_for_staff_only(name: str) -> None:
    response = principal(name).client.get(reverse("cooperation:staff_home"))
    if name in OFFICE_ROLES:
        assert response.status_code == 200
        assert 'data-function="exchange"' in response.content.decode()
    elif name == ANONYMOUS:
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == 403


def test_the_office_hub_asks_staff_for_their_second_factor_first() -> None:
    client = signed_in_client(make_user(Role.POLICY_OFFICER), second_factor=False)
    response = client.get(reverse("cooperation:staff_home"))
    assert response.status_code == 302 and "second" in response["Location"]


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_the_authority_hub_without_a_designated_authority_is_refused(name: str) -> None:
    # a national authority member whose organisation the directory does not list acts for
    # no designated authority yet
    response = principal(name).client.get(reverse("cooperation:authority_home"))
    assert response.status_code == (302 if name == ANONYMOUS else 403)


def test_the_authority_hub_for_a_designated_authority() -> None:
    user = make_user(Role.NATIONAL_AUTHORITY_MEMBER)
    organisation = user.memberships.get().organisation
    authority = _authority(organisation)
    client = signed_in_client(user)
    page = client.get(reverse("cooperation:authority_home")).content.decode()
    assert authority.name in page
    assert "including the secure section" not in page
    assert list(authorities_of(user)) == [authority]
    assert is_authority_user(user) and not is_art74_8_user(user)
    assert not may_see_secure_section(user)

    authority.sector = AuthoritySector.DATA_PROTECTION
    authority.save()
    page = client.get(reverse("cooperation:authority_home")).content.decode()
    assert "including the secure section" in page
    assert is_art74_8_user(user) and may_see_secure_section(user)

    authority.active = False  # the designation ended: no more acting for it
    authority.save()
    assert client.get(reverse("cooperation:authority_home")).status_code == 403
    assert not may_see_secure_section(user)


def test_a_notifying_authority_in_data_protection_is_not_an_art_74_8_authority() -> None:
    user = make_user(Role.NATIONAL_AUTHORITY_MEMBER)
    _authority(
        user.memberships.get().organisation,
        kind=AuthorityKind.NOTIFYING,
        sector=AuthoritySector.DATA_PROTECTION,
    )
    assert is_authority_user(user)
    assert not is_art74_8_user(user)
    assert not may_see_secure_section(user)


def test_staff_see_the_secure_section_and_others_do_not() -> None:
    assert may_see_secure_section(make_user(Role.LEGAL_OFFICER))
    assert not may_see_secure_section(make_user(Role.ORGANISATION_MEMBER))
    assert not may_see_secure_section(None)
    assert not authorities_of(None).exists()
    inactive = make_user(Role.NATIONAL_AUTHORITY_MEMBER, "inactive-authority")
    _authority(
        inactive.memberships.get().organisation,
        sector=AuthoritySector.DATA_PROTECTION,
        name="Inactive person's authority",
    )
    inactive.is_active = False
    inactive.save()
    assert not may_see_secure_section(inactive)


def test_an_authority_member_of_an_organisation_of_another_kind_is_not_linked() -> None:
    # a provider's member is never an authority's, whatever the directory says
    user = make_user(Role.ORGANISATION_MEMBER, "provider-person")
    _authority(user.memberships.get().organisation, name="Mislinked")
    assert not is_authority_user(user)
    assert Organisation.objects.filter(kind=OrganisationKind.GPAI_PROVIDER).exists()


def test_the_hubs_answer_get_only() -> None:
    assert Client().post(reverse("cooperation:public_home")).status_code == 405
