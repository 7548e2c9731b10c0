"""The world the exchange tests share: two designated market surveillance authorities (a
French single point of contact, whose members are the national-authority principal's
organisation, and a Spanish data-protection authority), Office staff, a case, a document
and requests. Built through the services, like real use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import Organisation, User
from aioffice.cooperation import services_exchange as services
from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_exchange import ExchangeRequest, SharedDocument
from aioffice.core.testing import KIND_FOR_ROLE, TEST_PASSWORD, make_user, organisation
from aioffice.registry.testing import registered_version
from aioffice.supervision import services_cases
from aioffice.supervision.models import Case

# the organisation of the national-authority principal (core.testing.make_user)
FR_ORGANISATION = f"Test {KIND_FOR_ROLE[Role.NATIONAL_AUTHORITY_MEMBER]}"
ES_ORGANISATION = "Agencia de pruebas (test)"


def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def upload(name: str = "memo.txt", content: bytes = b"memo bytes\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")


def user(role: str, username: str) -> User:
    return User.objects.filter(username=username).first() or make_user(role, username)


def member_of(org: Organisation, username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    person = accounts.user_create(
        actor=None, username=username, email=f"{username}@test.example", password=TEST_PASSWORD
    )
    accounts.membership_add(
        actor=None, user=person, organisation=org, role=Role.NATIONAL_AUTHORITY_MEMBER
    )
    return person


def fr_authority() -> Authority:
    org = organisation(OrganisationKind.NATIONAL_AUTHORITY, FR_ORGANISATION)
    found, _ = Authority.objects.get_or_create(
        member_state="FR",
        name="Autorité de test",
        defaults={
            "kind": "market_surveillance",
            "sector": "general",
            "single_point_of_contact": True,
            "organisation": org,
        },
    )
    return found


def es_authority() -> Authority:
    org = organisation(OrganisationKind.NATIONAL_AUTHORITY, ES_ORGANISATION)
    found, _ = Authority.objects.get_or_create(
        member_state="ES",
        name="Agencia de prueba",
        defaults={"kind": "market_surveillance", "sector": "data_protection", "organisation": org},
    )
    return found


def unlinked_authority() -> Authority:
    found, _ = Authority.objects.get_or_create(
        member_state="DE", name="Behörde ohne Konto", defaults={"kind": "market_surveillance"}
    )
    return found


def head() -> User:
    return user(Role.HEAD_OF_UNIT, "exchange-head")


def fr_member() -> User:
    fr_authority()
    return member_of(Organisation.objects.get(name=FR_ORGANISATION), "fr-member")


def es_member() -> User:
    es_authority()
    return member_of(Organisation.objects.get(name=ES_ORGANISATION), "es-member")


def open_case(title: str = "Shared case") -> Case:
    lead = head()
    version = registered_version(provider="Exchange Labs", model=f"{title} model")
    return services_cases.case_open(
        actor=lead,
        provider=version.model.provider,
        title=title,
        origin="ex_officio",
        versions=[version],
    )


def document(title: str = "Joint inspection memo") -> SharedDocument:
    return services.document_upload(
        actor=head(), upload=upload(), title=title, description="What we found."
    )


def msa_request(kind: str = "msa_information", **extra: Any) -> ExchangeRequest:
    values: dict[str, Any] = {
        "subject": "Information on a GPAI model",
        "facts": "Our high-risk investigation needs the model's documentation (Art. 75(3)).",
        "operator_named": "Exchange Labs",
        **extra,
    }
    return services.request_submit(actor=fr_member(), kind=kind, authority=fr_authority(), **values)


def support_request() -> ExchangeRequest:
    return services.request_submit(
        actor=head(),
        kind="support",
        institution="ecat",
        subject="Audit of a recommender",
        facts="Technical support for the analysis of a recommender system.",
        due_on=timezone.now().date() + timedelta(days=45),
    )


@dataclass
class World:
    case: Case
    document: SharedDocument
    share: Any
    request: ExchangeRequest  # Art. 75(3), answered with a file
    open_request: ExchangeRequest  # Art. 75(3), open
    to_assign: ExchangeRequest  # Art. 75(3), open
    acting: ExchangeRequest  # Art. 75(2a), the Office acts
    support: ExchangeRequest

    def ids(self) -> dict[str, int]:
        return {
            "case": self.case.pk,
            "document": self.document.pk,
            "share": self.share.pk,
            "request": self.request.pk,
            "open_request": self.open_request.pk,
            "to_assign": self.to_assign.pk,
            "acting": self.acting.pk,
            "support": self.support.pk,
            "file": self.request.files.get().pk,
            "fr": fr_authority().pk,
            "es": es_authority().pk,
            "officer": head().pk,
        }


def build_world() -> World:
    lead = head()
    case = open_case()
    services_cases.case_share(
        actor=lead,
        case=case,
        authority=fr_authority().organisation,
        reason="Joint activity (Art. 74(11)).",
    )
    shared = document()
    share = services.document_share(
        actor=lead, document=shared, authority=fr_authority(), reason="Need to know."
    )
    answered = msa_request()
    services.request_answer(
        actor=lead, request=answered, answer="Here is the documentation.", files=[upload()]
    )
    acting = msa_request("msa_assessment", subject="Suspected infringement")
    services.request_answer(actor=lead, request=acting, answer="We act.", acts=True)
    return World(
        case=case,
        document=shared,
        share=share,
        request=answered,
        open_request=msa_request(subject="Second request"),
        to_assign=msa_request(subject="Third request"),
        acting=acting,
        support=support_request(),
    )
