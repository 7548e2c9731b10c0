"""Who sees and who enters what in the EU database (Art. 49(4), 71(2)-(4); DB-01..03).

Access is denied unless a rule here grants it; one condition per line.

* Everyone sees the public entries (`Visibility.PUBLIC`, still registered).
* The secure section (`RESTRICTED`) is seen by the Commission (Office staff, after their
  second factor) and the members of the market surveillance authorities of Art. 74(8)
  (`permissions.may_see_secure_section`).
* Real-world tests published without the provider's consent (`AUTHORITIES`) are seen by the
  market surveillance authorities and the Commission (Art. 71(4)).
* The members of the registrant organisation see their own entries, whatever their
  visibility and state: they entered them.
* Office staff see every entry, withdrawn ones included.

Providers (members of a provider organisation) register in sections A and B and Annex IX;
public bodies and national authorities (as deployers, Art. 49(3)) in section C.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation
from aioffice.cooperation.choices import AuthorityKind
from aioffice.cooperation.models_database import EntryState, Section, Visibility
from aioffice.cooperation.permissions import (
    authorities_of,
    is_staff_user,
    may_see_secure_section,
)
from aioffice.core.permissions import second_factor_satisfied

PROVIDER_KINDS = (
    OrganisationKind.GPAI_PROVIDER,
    OrganisationKind.DOWNSTREAM_PROVIDER,
    OrganisationKind.AUTHORISED_REPRESENTATIVE,
    OrganisationKind.OTHER,
)
DEPLOYER_KINDS = (OrganisationKind.PUBLIC_BODY, OrganisationKind.NATIONAL_AUTHORITY)
REGISTRANT_ROLES = (Role.ORGANISATION_MEMBER, Role.NATIONAL_AUTHORITY_MEMBER)
SECTIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    **{kind: (Section.A, Section.B, Section.IX) for kind in PROVIDER_KINDS},
    **{kind: (Section.C,) for kind in DEPLOYER_KINDS},
}


@dataclass(frozen=True, slots=True)
class Scope:
    """What one person sees of the database."""

    everything: bool = False
    restricted: bool = False
    authorities: bool = False
    organisations: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_public(self) -> bool:
        """Sees what everyone sees, nothing more (the cached case)."""
        if self.everything:
            return False
        if self.restricted:
            return False
        if self.authorities:
            return False
        return not self.organisations

    def visibilities(self) -> list[str]:
        shown = [Visibility.PUBLIC.value]
        if self.restricted:
            shown.append(Visibility.RESTRICTED.value)
        if self.authorities:
            shown.append(Visibility.AUTHORITIES.value)
        return shown

    def q(self) -> Q:
        """The entries this scope sees, as a filter."""
        if self.everything:
            return Q()
        shown = self.visibilities()
        if len(shown) == 1:
            q = Q(visibility=shown[0], state=EntryState.REGISTERED)
        else:
            q = Q(visibility__in=shown, state=EntryState.REGISTERED)
        if self.organisations:
            q |= Q(organisation_id__in=sorted(self.organisations))
        return q

    def allows(self, *, visibility: str, state: str, organisation_id: int | None) -> bool:
        """The same rule as `q`, for one row already read."""
        if self.everything:
            return True
        if organisation_id in self.organisations:
            return True
        if state != EntryState.REGISTERED:
            return False
        return visibility in self.visibilities()


PUBLIC_SCOPE = Scope()


def _active(user: Any) -> bool:
    if user is None:
        return False
    if not user.is_authenticated:
        return False
    return bool(user.is_active)


def _is_msa_member(user: Any) -> bool:
    return authorities_of(user).filter(kind=AuthorityKind.MARKET_SURVEILLANCE).exists()


def scope_of(user: Any, *, verified: bool) -> Scope:
    """What a person sees; `verified`: Office staff passed their second factor (a session
    that did, or an API token, issued only to such a session)."""
    if not _active(user):
        return PUBLIC_SCOPE
    if is_staff_user(user):
        return Scope(everything=True) if verified else PUBLIC_SCOPE
    organisations = frozenset(user.memberships.values_list("organisation_id", flat=True))
    return Scope(
        restricted=may_see_secure_section(user),
        authorities=_is_msa_member(user),
        organisations=organisations,
    )


def scope_of_request(request: HttpRequest) -> Scope:
    return scope_of(request.user, verified=second_factor_satisfied(request))


def registering_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations a person registers for: those they are a member of, of a kind that
    registers (providers, public bodies, national authorities)."""
    if not _active(user):
        return Organisation.objects.none()
    if is_staff_user(user):
        return Organisation.objects.none()
    own = user.memberships.filter(role__in=REGISTRANT_ROLES).values("organisation_id")
    return Organisation.objects.filter(pk__in=own, kind__in=list(SECTIONS_BY_KIND)).order_by("name")


def may_register(user: Any, organisation: Organisation, section: str) -> bool:
    if not registering_organisations(user).filter(pk=organisation.pk).exists():
        return False
    return section in SECTIONS_BY_KIND.get(organisation.kind, ())


def is_registrant(user: Any) -> bool:
    return registering_organisations(user).exists()


def may_manage(user: Any, organisation_id: int) -> bool:
    """Updates and withdraws an entry: a member of the registrant organisation."""
    return registering_organisations(user).filter(pk=organisation_id).exists()
