"""Who may do what with real-world tests (Art. 60, 71(4)). Access is denied unless a rule
here grants it; one condition per line.

* A provider's people (members of the provider organisation, or of its legal representative
  in the Union) see and act on their own tests; members of a provider organisation register.
* The market surveillance authorities (and the Commission: Office staff) see the Art. 60
  data (Art. 71(4)); the authority a plan is submitted to decides, suspends, terminates and
  inspects it.
* A test in law enforcement, migration, asylum or border control is in the secure section
  (Art. 49(4), 60(4)(c)): only the Commission and the authorities of Art. 74(8) see it
  (besides its provider).
* The public sees a test only when aiact's visibility says "public" (provider's consent,
  not sensitive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_rwt import RealWorldTest
from aioffice.cooperation.permissions import authorities_of, is_staff_user

# organisations whose members register tests as providers of high-risk AI systems
PROVIDER_KINDS = (
    OrganisationKind.GPAI_PROVIDER,
    OrganisationKind.DOWNSTREAM_PROVIDER,
    OrganisationKind.OTHER,
)


def _active(user: Any) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    return bool(user.is_active)


def member_organisation_ids(user: Any) -> list[int]:
    """The organisations a person acts for as an organisation member."""
    if not _active(user):
        return []
    rows = user.memberships.filter(role=Role.ORGANISATION_MEMBER)
    return list(rows.values_list("organisation_id", flat=True))


def provider_organisations(user: Any) -> QuerySet[Organisation]:
    """The provider organisations a person may register tests for."""
    ids = member_organisation_ids(user)
    return Organisation.objects.filter(pk__in=ids, kind__in=PROVIDER_KINDS).order_by("name")


def market_surveillance_of(user: Any) -> QuerySet[Authority]:
    return authorities_of(user).filter(kind="market_surveillance")


def is_msa_user(user: Any) -> bool:
    return market_surveillance_of(user).exists()


def is_art74_8_msa_user(user: Any) -> bool:
    return market_surveillance_of(user).filter(sector="data_protection").exists()


def may_register(user: Any) -> bool:
    return provider_organisations(user).exists()


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the rules need to know about a person, read once per request."""

    user: Any
    staff: bool
    own: frozenset[int]  # organisations they act for as a member
    msa: frozenset[int]  # market surveillance authorities they act for
    art74_8: bool  # one of them is an authority of Art. 74(8)


def viewer(user: Any, *, staff: bool) -> Viewer:
    rows = list(market_surveillance_of(user).values_list("pk", "sector"))
    return Viewer(
        user=user,
        staff=staff,
        own=frozenset(member_organisation_ids(user)),
        msa=frozenset(pk for pk, _ in rows),
        art74_8=any(sector == "data_protection" for _, sector in rows),
    )


def may_use(who: Viewer) -> bool:
    """The list of tests is for the Office, the market surveillance authorities and
    the providers' people (their own)."""
    if who.staff:
        return True
    if who.msa:
        return True
    return bool(who.own)


def visible_filter(who: Viewer) -> Q | None:
    """The tests a person sees (None: all)."""
    if who.staff:
        return None
    rule = Q(pk__in=[])
    if who.own:
        rule |= Q(provider_id__in=who.own) | Q(legal_representative_id__in=who.own)
    if who.msa:
        rule |= Q(authority_id__in=who.msa)
        rule |= Q(sensitive_context=False)
        if who.art74_8:
            rule |= Q(sensitive_context=True)
    return rule


def acts_for_provider(user: Any, test: RealWorldTest) -> bool:
    own = member_organisation_ids(user)
    return _acts_for(frozenset(own), test)


def _acts_for(own: frozenset[int], test: RealWorldTest) -> bool:
    if test.provider_id in own:
        return True
    return test.legal_representative_id is not None and test.legal_representative_id in own


def decides(user: Any, test: RealWorldTest) -> bool:
    """The authority the plan was submitted to."""
    return market_surveillance_of(user).filter(pk=test.authority_id).exists()


def sees_everything(who: Viewer, test: RealWorldTest) -> bool:
    """The provider and the deciding authority see the whole plan; others only the Annex IX
    points aiact lists for the record's visibility."""
    if _acts_for(who.own, test):
        return True
    return test.authority_id in who.msa


def is_provider_side(who: Viewer, test: RealWorldTest) -> bool:
    return _acts_for(who.own, test)


def is_deciding_authority(who: Viewer, test: RealWorldTest) -> bool:
    return test.authority_id in who.msa


def may_act_as_staff(user: Any) -> bool:
    return is_staff_user(user)
