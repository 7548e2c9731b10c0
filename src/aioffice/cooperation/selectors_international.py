"""Reads of international cooperation, who-sees-what decided here.

* `*_published`: what everyone sees (published partners and agreements, their public
  documents and rounds).
* `agreements_visible_to(user)`: the published ones, and for people acting for a national
  authority also those involving their Member State.
* `*_for_staff`: everything (the views and API routes check the staff rule first).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    AgreementStatusChange,
    DialogueRound,
    Partner,
)
from aioffice.cooperation.permissions_international import member_states_of


def _partners(
    queryset: QuerySet[Partner], *, kind: str = "", status: str = "", country: str = ""
) -> QuerySet[Partner]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if country:
        queryset = queryset.filter(country=country.upper())
    return queryset.order_by("name", "id")


def partners_published(**filters: str) -> QuerySet[Partner]:
    """Published partners, filtered by kind, status and country."""
    return _partners(Partner.objects.filter(published=True), **filters)


def partners_for_staff(**filters: str) -> QuerySet[Partner]:
    return _partners(Partner.objects.all(), **filters)


def partner_published(pk: int) -> Partner:
    found = Partner.objects.filter(pk=pk, published=True).first()
    if found is None:
        raise Http404
    return found


def partner_for_staff(pk: int) -> Partner:
    found = Partner.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _with_partners(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return queryset.prefetch_related(
        Prefetch("partners", queryset=Partner.objects.order_by("name", "id")),
        "member_states",
    )


def _agreements(
    queryset: QuerySet[Agreement],
    *,
    kind: str = "",
    status: str = "",
    country: str = "",
    member_state: str = "",
    partner: int | str | None = None,
) -> QuerySet[Agreement]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if country:  # a partner's country
        queryset = queryset.filter(
            pk__in=Agreement.partners.through.objects.filter(
                partner__country=country.upper()
            ).values("agreement_id")
        )
    if member_state:
        queryset = queryset.filter(member_states__member_state=member_state)
    if partner:
        queryset = queryset.filter(partners__pk=partner)
    return _with_partners(queryset.distinct().order_by("title", "id"))


def _published_or_theirs(user: Any) -> Q:
    """Published, or (for an authority's staff) involving one of their Member States."""
    rule = Q(published=True)
    states = member_states_of(user) if user is not None else []
    if states:
        involving = Agreement.objects.filter(member_states__member_state__in=states)
        rule |= Q(pk__in=involving.values("pk"))
    return rule


def agreements_published(**filters: Any) -> QuerySet[Agreement]:
    """Published agreements and dialogues, filtered (kind, status, a partner's country,
    a Member State involved, a partner)."""
    return _agreements(Agreement.objects.filter(published=True), **filters)


def agreements_visible_to(user: Any, **filters: Any) -> QuerySet[Agreement]:
    return _agreements(Agreement.objects.filter(_published_or_theirs(user)), **filters)


def agreements_for_staff(**filters: Any) -> QuerySet[Agreement]:
    return _agreements(Agreement.objects.all(), **filters)


def agreement_visible_to(user: Any, pk: int) -> Agreement:
    found = _with_partners(Agreement.objects.filter(_published_or_theirs(user), pk=pk)).first()
    if found is None:
        raise Http404
    return found


def agreement_for_staff(pk: int) -> Agreement:
    found = _with_partners(Agreement.objects.filter(pk=pk)).first()
    if found is None:
        raise Http404
    return found


def public_documents(agreement: Agreement) -> QuerySet[AgreementDocument]:
    return agreement.documents.filter(public=True).order_by("uploaded_at", "id")


def all_documents(agreement: Agreement) -> QuerySet[AgreementDocument]:
    return agreement.documents.order_by("uploaded_at", "id")


def public_rounds(agreement: Agreement) -> QuerySet[DialogueRound]:
    return agreement.rounds.filter(public=True).order_by("-held_on", "-id")


def all_rounds(agreement: Agreement) -> QuerySet[DialogueRound]:
    return agreement.rounds.order_by("-held_on", "-id")


def history(agreement: Agreement) -> QuerySet[AgreementStatusChange]:
    return agreement.history.order_by("on", "id")


def public_document(user: Any, agreement_pk: int, document_pk: int) -> AgreementDocument:
    """A public document of an agreement the person sees."""
    agreement = agreement_visible_to(user, agreement_pk)
    found = public_documents(agreement).filter(pk=document_pk).first()
    if found is None:
        raise Http404
    return found


def staff_document(agreement_pk: int, document_pk: int) -> AgreementDocument:
    found = AgreementDocument.objects.filter(pk=document_pk, agreement_id=agreement_pk).first()
    if found is None:
        raise Http404
    return found
