"""The adoption API (/api/v1/drafting/adoption/): every route for every principal. The
public routes answer everyone; the organisation-member principal acts for a provider that
signed the safety chapter on paper, signs the transparency chapter, reports and withdraws
the paper signature; the Office's staff read the reports; the project runners adopt a
second code and open it, record a paper signature, withdraw one and publish in the library;
the assessors record and publish assessments; nobody else gets anything. Plus bad input
(a 422 naming the field) and unknown codes."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aioffice.accounts.choices import Role
from aioffice.api import PUBLIC_ROUTES, api
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, api_routes, principal
from aioffice.core.testing import signed_in_client as signed_in
from aioffice.drafting import services_adoption as services
from aioffice.drafting.models_adoption import Adoption
from aioffice.drafting.models_drafts import Draft, DraftStatus, Section, SectionKind
from aioffice.drafting.models_projects import Project
from aioffice.portal.models_content import GuidanceDocument
from aioffice.registry.testing import registered_provider

from .test_adoption_world import AdoptionWorld, adoption_world, opened, today

__all__ = ["adoption_world"]
pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/drafting/adoption"
P = PREFIX + "/{slug}"
STAFF: set[str] = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
MEMBER = Role.ORGANISATION_MEMBER
RUNNERS: set[str] = {Role.POLICY_OFFICER, Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}
ASSESSORS: set[str] = {Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}
# who gets the route's success (every other signed-in principal a 403); the public routes
# answer everyone
ALLOWED: dict[tuple[str, str], tuple[int, set[str]]] = {
    ("POST", P + "/signatures"): (201, {MEMBER}),
    ("GET", P + "/reports"): (200, {MEMBER, *STAFF}),
    ("POST", P + "/reports"): (201, {MEMBER}),
    ("POST", P + "/adopt"): (201, RUNNERS),
    ("POST", P + "/opening"): (201, RUNNERS),
    ("POST", P + "/signatures/record"): (201, RUNNERS),
    ("POST", P + "/assessments"): (201, ASSESSORS),
    ("POST", P + "/assessments/{assessment_id}/publish"): (200, ASSESSORS),
    ("POST", P + "/library"): (201, RUNNERS),
    ("POST", P + "/signatures/{signature_id}/withdraw"): (200, {MEMBER, *RUNNERS}),
}


def _expected(route: tuple[str, str], name: str) -> int:
    if route[1] in PUBLIC_ROUTES:
        return 200
    if name == ANONYMOUS:
        return 401
    status, allowed = ALLOWED[route]
    return status if name in allowed else 403


def second_code(w: AdoptionWorld) -> Project:
    """A second public code with a published version of one chapter, not adopted."""
    project = Project.objects.create(
        slug="second-test-code",
        title="Second test code",
        kind="code_of_practice",
        legal_basis="art56",
        citation="Art. 56",
        summary="Another code written for the tests.",
        status="drafting",
        public=True,
        created_by=w.runner,
    )
    draft = Draft.objects.create(
        project=project,
        number=1,
        title="Version one (test)",
        status=DraftStatus.PUBLISHED,
        visibility="public",
        published_on=today() - datetime.timedelta(days=10),
        created_by=w.runner,
    )
    Section.objects.create(
        draft=draft,
        key="whole",
        kind=SectionKind.CHAPTER,
        title="All of it",
        text="Test.",
        position=1,
    )
    return project


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_route_for_every_principal(adoption_world: AdoptionWorld, name: str) -> None:
    w = adoption_world
    opening = opened(w)
    who = principal(name)
    # the organisation member's principal acts for "Test gpai_provider"
    provider = registered_provider("Test gpai_provider") if name == MEMBER else w.alpha
    (paper,) = services.signature_record(
        actor=w.runner,
        opening=opening,
        provider=provider,
        chapters=[w.safety],
        signed_on=today() - datetime.timedelta(days=2),
    )
    pending = services.assessment_create(
        actor=w.assessor,
        draft=w.draft,
        assessed_on=today(),
        outcome="partly",
        reasons="Not yet complete (test).",
        board_opinion=w.opinion,
        board_opinion_note="Read and followed (test).",
    )
    second = second_code(w)
    slug = w.project.slug
    samples: dict[tuple[str, str], tuple[str, Any]] = {
        ("GET", P): (f"{PREFIX}/{slug}", None),
        ("GET", P + "/signatories"): (f"{PREFIX}/{slug}/signatories", None),
        ("GET", P + "/signatories.csv"): (f"{PREFIX}/{slug}/signatories.csv", None),
        ("POST", P + "/signatures"): (
            f"{PREFIX}/{slug}/signatures",
            {"provider": provider.pk, "chapters": [w.transparency.pk]},
        ),
        ("GET", P + "/reports"): (f"{PREFIX}/{slug}/reports", None),
        ("POST", P + "/reports"): (
            f"{PREFIX}/{slug}/reports",
            {
                "provider": provider.pk,
                "narrative": "Measures (test).",
                "values": {str(k.pk): "5" for k in w.kpis},
            },
        ),
        ("POST", P + "/adopt"): (
            f"{PREFIX}/{second.slug}/adopt",
            {"draft": second.drafts.get().pk, "adopted_on": str(today()), "reference": "T-2"},
        ),
        ("POST", P + "/opening"): (
            f"{PREFIX}/{second.slug}/opening",
            {
                "opens_on": str(today()),
                "report_every_months": 12,
                "first_report_due": str(today() + datetime.timedelta(days=365)),
            },
        ),
        ("POST", P + "/signatures/record"): (
            f"{PREFIX}/{slug}/signatures/record",
            {"provider": w.beta.pk, "chapters": [w.transparency.pk], "signed_on": str(today())},
        ),
        ("POST", P + "/assessments"): (
            f"{PREFIX}/{slug}/assessments",
            {
                "draft": w.draft.pk,
                "assessed_on": str(today()),
                "outcome": "adequate",
                "reasons": "Covers the obligations (test).",
                "board_opinion": w.opinion.pk,
                "board_opinion_note": "Followed (test).",
            },
        ),
        ("POST", P + "/assessments/{assessment_id}/publish"): (
            f"{PREFIX}/{slug}/assessments/{pending.pk}/publish",
            {},
        ),
        ("POST", P + "/library"): (
            f"{PREFIX}/{slug}/library",
            {"language": ["en"], "file": [_pdf("code-en.pdf")]},
        ),
        ("POST", P + "/signatures/{signature_id}/withdraw"): (
            f"{PREFIX}/{slug}/signatures/{paper.pk}/withdraw",
            {"reasons": "We leave this chapter (test)."},
        ),
    }
    assert set(samples) == api_routes(api, PREFIX + "/")
    for route, (url, body) in samples.items():
        if body is None:
            response = who.client.get(url)
        elif route[1].endswith("/library"):
            response = who.client.post(url, body)  # multipart
        else:
            response = who.client.post(url, json.dumps(body), content_type="application/json")
        assert response.status_code == _expected(route, name), (route, response.content[:300])
    if name == MEMBER:
        reports = who.client.get(f"{PREFIX}/{slug}/reports").json()
        assert reports["count"] == 1
    if name in RUNNERS:
        paper.refresh_from_db()
        assert paper.withdrawn_on == today()
        assert Adoption.objects.get(project=second).signature_opening.report_every_months == 12
        assert GuidanceDocument.objects.get(slug=slug).published


def test_public_summary_lists_signatories_and_hides_unpublished_assessments(
    adoption_world: AdoptionWorld, client: Any
) -> None:
    w = adoption_world
    opening = opened(w)
    services.signature_record(
        actor=w.runner, opening=opening, provider=w.alpha, chapters=[w.safety], signed_on=today()
    )
    services.assessment_create(
        actor=w.assessor,
        draft=w.draft,
        assessed_on=today(),
        outcome="adequate",
        reasons="Fine (test).",
        board_opinion=w.opinion,
        board_opinion_note="Followed.",
    )
    body = client.get(f"{PREFIX}/{w.project.slug}").json()
    assert body["version"] == 1
    assert [c["signatories"] for c in body["chapters"]] == [[], ["Alpha Models (test)"]]
    assert body["assessments"] == []
    csv = b"".join(client.get(f"{PREFIX}/{w.project.slug}/signatories.csv").streaming_content)
    assert b"Alpha Models (test)" in csv
    assert client.get(f"{PREFIX}/no-such-code").status_code == 404


def test_bad_input_names_the_field(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opened(w)
    member = principal(MEMBER)
    provider = registered_provider("Test gpai_provider")
    url = f"{PREFIX}/{w.project.slug}/signatures"
    response = member.client.post(
        url,
        json.dumps({"provider": provider.pk, "chapters": [w.kpis[0].pk]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "chapters" in response.content.decode()
    response = member.client.post(
        f"{PREFIX}/{w.project.slug}/reports",
        json.dumps({"provider": provider.pk, "narrative": "x", "values": {"abc": "1"}}),
        content_type="application/json",
    )
    assert response.status_code == 422


def _field(response: Any) -> str:
    assert response.status_code == 422, response.content[:300]
    return str(response.json()["errors"][0]["field"])


def test_the_office_routes_name_the_field_in_error(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    slug = w.project.slug
    office = principal(Role.LEGAL_OFFICER).client

    def post(path: str, body: dict[str, Any]) -> Any:
        return office.post(f"{PREFIX}/{slug}{path}", json.dumps(body), "application/json")

    second = second_code(w)
    other = second.drafts.get()
    assert _field(post("/adopt", {"draft": other.pk, "adopted_on": str(today())})) == "draft"
    future = str(today() + datetime.timedelta(days=1))
    assert _field(post("/adopt", {"draft": w.draft.pk, "adopted_on": future})) == "adopted_on"
    assert _field(post("/adopt", {"draft": w.draft.pk})) == "adopted_on"
    assert post("/adopt", {"draft": w.draft.pk, "adopted_on": str(today())}).status_code == 201
    opening = {
        "opens_on": str(today()),
        "report_every_months": 6,
        "first_report_due": str(today()),
    }
    assert _field(post("/opening", opening)) == "first_report_due"
    opening["first_report_due"] = str(today() + datetime.timedelta(days=90))
    assert _field(post("/opening", {**opening, "report_every_months": 0})) == (
        "report_every_months"
    )
    assert _field(post("/opening", {**opening, "report_every_months": "six"})) == (
        "report_every_months"
    )
    assert post("/opening", opening).status_code == 201
    record = {"provider": w.alpha.pk, "chapters": [w.safety.pk], "signed_on": str(today())}
    assert _field(post("/signatures/record", {**record, "provider": 10**9})) == "provider"
    assert _field(post("/signatures/record", {**record, "chapters": [w.kpis[0].pk]})) == (
        "chapters"
    )
    assert _field(post("/signatures/record", {**record, "signed_on": future})) == "signed_on"
    made = post("/signatures/record", record)
    assert made.status_code == 201
    signature = made.json()[0]["id"]
    assert _field(post(f"/signatures/{signature}/withdraw", {"reasons": " "})) == "reasons"
    assert post(f"/signatures/{signature}/withdraw", {"reasons": "Left (test)."}).status_code == 200
    assert _field(post(f"/signatures/{signature}/withdraw", {"reasons": "Again."})) == "signature"
    assert post("/signatures/999999/withdraw", {"reasons": "None."}).status_code == 404
    assessment = {
        "draft": w.draft.pk,
        "assessed_on": str(today()),
        "outcome": "adequate",
        "reasons": "Fine (test).",
        "board_opinion": w.opinion.pk,
        "board_opinion_note": "Followed (test).",
    }
    assert _field(post("/assessments", {**assessment, "outcome": "great"})) == "outcome"
    assert _field(post("/assessments", {**assessment, "board_opinion": None})) == "board_opinion"
    assert _field(post("/assessments", {**assessment, "board_opinion_note": ""})) == (
        "board_opinion_note"
    )
    assert _field(post("/assessments", {**assessment, "draft": other.pk})) == "draft"
    made = post("/assessments", assessment)
    assert made.status_code == 201 and made.json()["published_on"] is None
    publish = f"/assessments/{made.json()['id']}/publish"
    assert post(publish, {}).json()["published_on"] == str(today())
    assert _field(post(publish, {})) == "assessment"
    library = f"{PREFIX}/{slug}/library"
    assert _field(office.post(library, {"language": ["en", "fr"], "file": [_pdf("a.pdf")]})) == (
        "language"
    )
    assert _field(office.post(library, {"language": ["xx"], "file": [_pdf("a.pdf")]})) == (
        "language"
    )
    assert _field(office.post(library, {"language": ["en"]})).startswith("file")
    text = SimpleUploadedFile("a.exe", b"MZ\x90\x00binary", content_type="application/x-dosexec")
    assert _field(office.post(library, {"language": ["en"], "file": [text]})).startswith("file")
    done = office.post(library, {"language": ["en", "de"], "file": [_pdf("e.pdf"), _pdf("d.pdf")]})
    assert done.status_code == 201
    assert done.json()["published_languages"] == ["de", "en"]
    again = office.post(library, {"language": ["fr"], "file": [_pdf("f.pdf")], "number": "1.0"})
    assert _field(again) == "number"  # the version 1.0 is in the library already
    body = principal(ANONYMOUS).client.get(f"{PREFIX}/{slug}").json()
    assert [a["outcome"] for a in body["assessments"]] == ["adequate"]
    assert body["library_slug"] == slug


def test_a_member_withdraws_only_its_providers_signature(adoption_world: AdoptionWorld) -> None:
    w = adoption_world
    opening = opened(w)
    (alpha,) = services.signature_record(
        actor=w.runner, opening=opening, provider=w.alpha, chapters=[w.safety], signed_on=today()
    )
    beta_member = signed_in(w.beta_member)
    url = f"{PREFIX}/{w.project.slug}/signatures/{alpha.pk}/withdraw"
    body = json.dumps({"reasons": "Not ours (test)."})
    assert beta_member.post(url, body, "application/json").status_code == 404
    response = signed_in(w.alpha_member).post(url, body, "application/json")
    assert response.status_code == 200
    assert response.json()["withdrawn_on"] == str(today())
    alpha.refresh_from_db()
    assert alpha.registry_signature is not None
    assert alpha.registry_signature.withdrawn_on == today()
