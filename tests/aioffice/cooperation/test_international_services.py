"""International cooperation's services: partners and agreements created and changed with
one audit event each (never a contact point in the trail), the dated status history (an
ended agreement stays ended, no step earlier than the last, signing fills the date), the
dates in order, Member States and partners checked, NUL characters refused, documents
stored with their SHA-256 (type, content, size and emptiness checked), rounds recorded.
The helpers here build the data the page and API tests use."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.cooperation import services_international as services
from aioffice.cooperation.choices import AuthorityKind, AuthoritySector
from aioffice.cooperation.models import Authority
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    Partner,
)
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, organisation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% demo\n"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def editor() -> User:
    return User.objects.filter(username="intl-editor").first() or make_user(
        Role.POLICY_OFFICER, "intl-editor"
    )


def partner(**values: Any) -> Partner:
    fields = {
        "name": "Test AI Safety Institute (demo)",
        "country": "JP",
        "kind": "safety_institute",
        "website": "https://example.org/",
        "description": "A partner for the tests.",
        "contact_point": "Ms Example, international desk",
        "published": True,
        **values,
    }
    return services.partner_create(actor=editor(), **fields)


def agreement(**values: Any) -> Agreement:
    fields: dict[str, Any] = {
        "title": "Test dialogue on evaluations (demo)",
        "kind": "dialogue",
        "summary": "Twice a year.",
        "published": True,
        **values,
    }
    return services.agreement_create(actor=editor(), **fields)


def upload(name: str = "text.pdf", content: bytes = PDF, kind: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=kind)


def document(item: Agreement, *, public: bool = True, title: str = "The text") -> AgreementDocument:
    return services.agreement_document_add(
        actor=editor(), agreement=item, upload=upload(), title=title, public=public
    )


def authority_user(member_state: str = "FR", username: str = "intl-authority") -> User:
    """A person acting for a designated market surveillance authority of `member_state`."""
    org = organisation(OrganisationKind.NATIONAL_AUTHORITY, f"Authority org {member_state}")
    Authority.objects.get_or_create(
        member_state=member_state,
        name=f"Test MSA {member_state}",
        defaults={
            "kind": AuthorityKind.MARKET_SURVEILLANCE,
            "sector": AuthoritySector.GENERAL,
            "organisation": org,
        },
    )
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=org, role=Role.NATIONAL_AUTHORITY_MEMBER
    )
    return user


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_partner_is_created_and_changed_with_one_event_each_and_no_contact_in_the_trail() -> None:
    made = partner(country="jp")
    assert made.country == "JP"
    changed = services.partner_update(
        actor=editor(), partner=made, contact_point="Mr Other", status="dormant"
    )
    assert changed.status == "dormant"
    created, updated = (
        _events("cooperation.partner.created"),
        _events("cooperation.partner.updated"),
    )
    assert len(created) == 1 and len(updated) == 1
    for event in (*created, *updated):
        assert "Example" not in (event.after_json or "")
        assert "Other" not in (event.after_json or "") + (event.before_json or "")
    assert '"status":"dormant"' in (updated[0].after_json or "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"country": "Japan"}, "country"),
        ({"country": "J1"}, "country"),
        ({"kind": "club"}, "kind"),
        ({"website": "not a url"}, "website"),
        ({"description": "nul\x00here"}, "description"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_partner_is_refused_naming_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        partner(**values)
    assert field in caught.value.message_dict
    assert not Partner.objects.exists()


def test_two_partners_cannot_share_a_name() -> None:
    partner()
    with pytest.raises(ValidationError) as caught:
        partner(country="GB")
    assert "name" in caught.value.message_dict


def test_an_agreement_keeps_its_partners_member_states_and_first_status() -> None:
    first, second = partner(), partner(name="Other institute (demo)", country="GB")
    made = agreement(
        partners=[first.pk, second.pk],
        member_states=["FR", "DE", "FR"],
        status="under_negotiation",
        status_on=date(2026, 3, 1),
    )
    assert sorted(p.name for p in made.partners.all()) == [
        "Other institute (demo)",
        "Test AI Safety Institute (demo)",
    ]
    assert [m.member_state for m in made.member_states.all()] == ["DE", "FR"]
    [step] = made.history.all()
    assert (step.from_status, step.to_status, step.on) == (
        "",
        "under_negotiation",
        date(2026, 3, 1),
    )
    services.agreement_update(actor=editor(), agreement=made, member_states=["IT"], partners=[])
    assert [m.member_state for m in made.member_states.all()] == ["IT"]
    assert not made.partners.exists()
    assert len(_events("cooperation.agreement.updated")) == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"member_states": ["UK"]}, "member_states"),
        ({"partners": [999_999]}, "partners"),
        ({"status": "dreaming"}, "status"),
        ({"kind": "treaty"}, "kind"),
        ({"summary": "\x00"}, "summary"),
        (
            {"signed_on": date(2026, 5, 1), "in_force_from": date(2026, 4, 1)},
            "in_force_from",
        ),
        ({"in_force_from": date(2026, 5, 1), "ends_on": date(2026, 4, 1)}, "ends_on"),
    ],
)
def test_a_bad_agreement_is_refused_naming_the_field(values: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        agreement(**values)
    assert field in caught.value.message_dict
    assert not Agreement.objects.exists()


def test_the_status_history_is_dated_and_an_ended_agreement_stays_ended() -> None:
    made = agreement(kind="memorandum", status="under_negotiation", status_on=date(2026, 1, 5))
    services.agreement_status_change(
        actor=editor(), agreement=made, status="signed", on=date(2026, 2, 1), note="Signed."
    )
    services.agreement_status_change(
        actor=editor(), agreement=made, status="in_force", on=date(2026, 3, 1)
    )
    made.refresh_from_db()
    assert made.status == AgreementStatus.IN_FORCE
    assert (made.signed_on, made.in_force_from) == (date(2026, 2, 1), date(2026, 3, 1))
    steps = [(s.from_status, s.to_status, s.on) for s in made.history.order_by("on", "id")]
    assert steps == [
        ("", "under_negotiation", date(2026, 1, 5)),
        ("under_negotiation", "signed", date(2026, 2, 1)),
        ("signed", "in_force", date(2026, 3, 1)),
    ]
    with pytest.raises(ValidationError) as same:
        services.agreement_status_change(
            actor=editor(), agreement=made, status="in_force", on=date(2026, 4, 1)
        )
    assert "status" in same.value.message_dict
    with pytest.raises(ValidationError) as earlier:
        services.agreement_status_change(
            actor=editor(), agreement=made, status="suspended", on=date(2026, 2, 15)
        )
    assert "on" in earlier.value.message_dict
    services.agreement_status_change(
        actor=editor(), agreement=made, status="ended", on=date(2026, 6, 1)
    )
    with pytest.raises(ValidationError) as ended:
        services.agreement_status_change(
            actor=editor(), agreement=made, status="in_force", on=date(2026, 7, 1)
        )
    assert "status" in ended.value.message_dict
    assert len(_events("cooperation.agreement.status_changed")) == 3


def test_entry_into_force_before_the_signature_is_refused_on_the_date() -> None:
    made = agreement(signed_on=date(2026, 5, 1), status="signed")
    with pytest.raises(ValidationError) as caught:
        services.agreement_status_change(
            actor=editor(), agreement=made, status="in_force", on=date(2026, 4, 1)
        )
    assert "in_force_from" in caught.value.message_dict or "on" in caught.value.message_dict
    made.refresh_from_db()
    assert made.status == "signed"


def test_a_document_is_stored_with_its_sha256(media_root: Path) -> None:
    made = agreement()
    stored = document(made)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF) and stored.content_type == "application/pdf"
    assert (media_root / stored.file.name).read_bytes() == PDF
    [event] = _events("cooperation.agreement_document.stored")
    assert stored.sha256 in (event.after_json or "")


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("a.exe", b"MZ\x90\x00", "application/x-msdownload"), "not accepted"),
        (upload("fake.pdf", b"not a pdf"), "not a valid PDF"),
        (upload("empty.txt", b"", "text/plain"), "empty"),
        (upload("bin.txt", b"\x00\x01\x02", "text/plain"), "NUL bytes"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_left(
    file: Any, message: str, media_root: Path
) -> None:
    made = agreement()
    with pytest.raises(ValidationError) as caught:
        services.agreement_document_add(actor=editor(), agreement=made, upload=file)
    assert message in " ".join(caught.value.message_dict["file"])
    assert not AgreementDocument.objects.exists()
    assert not list(media_root.rglob("*.*"))


def test_a_document_over_the_limit_is_refused(settings: Any) -> None:
    settings.DOCUMENTATION_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        document(agreement())
    assert "file" in caught.value.message_dict


def test_a_round_is_recorded() -> None:
    made = agreement()
    meeting = services.dialogue_round_add(
        actor=editor(),
        agreement=made,
        held_on=date(2026, 9, 1),
        summary=" Round one. ",
        public=True,
    )
    assert meeting.summary == "Round one."
    with pytest.raises(ValidationError) as caught:
        services.dialogue_round_add(
            actor=editor(), agreement=made, held_on=date(2026, 9, 2), summary=""
        )
    assert "summary" in caught.value.message_dict
    assert len(_events("cooperation.dialogue_round.recorded")) == 1


def test_fields_a_service_does_not_edit_are_refused() -> None:
    with pytest.raises(TypeError):
        services.partner_create(actor=editor(), name="X", country="JP", kind="other", id=5)
    with pytest.raises(TypeError):
        agreement(status_history=[])


def test_the_demo_loads_once_and_says_what_is_invented() -> None:
    from aioffice.demo_data import cooperation_international as demo

    demo.load(users={"policy": editor()})
    counts = (Partner.objects.count(), Agreement.objects.count(), AgreementDocument.objects.count())
    demo.load(users={"policy": editor()})
    assert counts == (
        Partner.objects.count(),
        Agreement.objects.count(),
        AgreementDocument.objects.count(),
    )
    assert counts == (4, 3, 1)
    for item in Agreement.objects.all():
        assert item.title.startswith("Demo:") and "Demo data" in item.summary
    assert Agreement.objects.filter(published=False, member_states__member_state="FR").exists()
