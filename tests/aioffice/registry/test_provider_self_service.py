"""Providers register their own models, versions and representatives (issue 4, items 1, 2
and 11): through the API and through the pages, the path a new provider follows from an
empty registry to a notification; bad facts named by field; another provider's records
are a 404 everywhere; a representative terminates its mandate with reasons (Art. 54(5))."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OFFICE_ROLES, OrganisationKind, Role
from aioffice.accounts.models import Organisation
from aioffice.core.models import AuditEvent
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    make_user,
    organisation,
    principal,
    signed_in_client,
)
from aioffice.registry import services
from aioffice.registry.models import (
    AuthorisedRepresentative,
    GPAIModel,
    ModelVersion,
    Notification,
    Provider,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FACTS: dict[str, Any] = {
    "placed_on_market": "2025-09-01",
    "generates": ["text"],
    "compute_method": "reported",
    "training_compute_flop": 3.8e25,
    "compute_uncertainty_percent": "10",
    "distribution_channels": [],
}


def _organisation(name: str, kind: str = OrganisationKind.GPAI_PROVIDER, **extra: Any) -> Any:
    return accounts.organisation_create(
        actor=None,
        name=name,
        kind=kind,
        country=extra.get("country", "FR"),
        established_in_union=extra.get("in_union", True),
    )


def _member(organisation: Organisation, username: str) -> Client:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


@pytest.fixture
def world(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    """New (not yet in the registry), Beta (outside the Union, with a representative),
    their people, the representative's, and staff."""
    new = _organisation("Newcomer AI")
    beta = provider_factory("Beta Labs", in_union=False)
    beta_version = version_factory(beta, model_name="Beta-1")
    rep = _organisation(
        "Union Rep", OrganisationKind.AUTHORISED_REPRESENTATIVE, country="IE", in_union=True
    )
    mandate = services.representative_appoint(
        actor=None,
        provider=beta,
        representative=rep,
        document=ContentFile(PDF, name="mandate.pdf"),
        union_country="IE",
        tasks=["art54_3_a", "art54_3_c"],
        start=TODAY - timedelta(days=10),
    )
    return {
        "new": new,
        "beta": beta,
        "beta_version": beta_version,
        "rep": rep,
        "mandate": mandate,
        "nina": _member(new, "nina"),
        "bob": _member(beta.organisation, "bob"),
        "rita": _member(rep, "rita"),
        "staff": signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess")),
    }


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _patch(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.patch(url, data, content_type="application/json")


# --- the API ---------------------------------------------------------------------------------


def test_a_new_provider_registers_a_model_and_a_version_then_notifies(
    world: dict[str, Any],
) -> None:
    nina = world["nina"]
    made = _post(nina, "/api/v1/registry/models", {"name": "Nova", "public_description": "LLM"})
    assert made.status_code == 201, made.json()
    model = made.json()
    provider = Provider.objects.get(organisation=world["new"])
    assert model["provider"] == {"id": provider.pk, "name": "Newcomer AI"}
    assert AuditEvent.objects.filter(action="registry.provider.registered").exists()

    added = _post(
        nina, f"/api/v1/registry/models/{model['id']}/versions", {"label": "1.0", **FACTS}
    )
    assert added.status_code == 201, added.json()
    version = added.json()
    assert version["current_assessment"]["systemic_risk_status"] == "presumed"
    assert version["current_assessment"]["rules_version"]

    notified = _post(
        nina,
        f"/api/v1/registry/versions/{version['id']}/notifications",
        {
            "trigger": "compute_threshold",
            "compute_flop": 3.8e25,
            "estimation_method": "reported by the training cluster",
            "assumptions": "dense model",
            "uncertainty": "10%",
            "trigger_date": TODAY.isoformat(),
        },
    )
    assert notified.status_code == 201, notified.json()
    assert Notification.objects.get().provider == provider


def test_a_second_model_uses_the_registered_provider(world: dict[str, Any]) -> None:
    bob = world["bob"]
    made = _post(bob, "/api/v1/registry/models", {"name": "Beta-2"})
    assert made.status_code == 201
    assert made.json()["provider"]["id"] == world["beta"].pk
    assert Provider.objects.count() == 1
    again = _post(bob, "/api/v1/registry/models", {"name": "Beta-2"})
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "name"


def test_a_person_in_several_providers_names_the_organisation(world: dict[str, Any]) -> None:
    user = make_user(None, "dual")
    for org in (world["new"], world["beta"].organisation):
        accounts.membership_add(actor=None, user=user, organisation=org, role="organisation_member")
    dual = signed_in_client(user)
    unnamed = _post(dual, "/api/v1/registry/models", {"name": "Twin"})
    assert unnamed.status_code == 422
    assert unnamed.json()["errors"][0]["field"] == "organisation_id"
    named = _post(
        dual, "/api/v1/registry/models", {"name": "Twin", "organisation_id": world["new"].pk}
    )
    assert named.status_code == 201
    assert GPAIModel.objects.get(name="Twin").provider.organisation == world["new"]
    stranger = _organisation("Stranger AI")
    refused = _post(
        dual, "/api/v1/registry/models", {"name": "Twin 2", "organisation_id": stranger.pk}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "organisation_id"


def test_the_representative_registers_a_model_for_the_provider(world: dict[str, Any]) -> None:
    made = _post(world["rita"], "/api/v1/registry/models", {"name": "Beta-R"})
    assert made.status_code == 201
    assert made.json()["provider"]["id"] == world["beta"].pk


def test_staff_and_people_of_no_provider_cannot_register_models(world: dict[str, Any]) -> None:
    assert _post(world["staff"], "/api/v1/registry/models", {"name": "X"}).status_code == 403
    nobody = signed_in_client(make_user(None, "nobody"))
    assert _post(nobody, "/api/v1/registry/models", {"name": "X"}).status_code == 403
    assert not GPAIModel.objects.filter(name="X").exists()


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"compute_method": "six_pd", "training_compute_flop": None}, "parameters"),
        ({"generates": ["smell"]}, "generates"),
        ({"compute_utilisation": "1.5", "compute_method": "reported"}, "compute_utilisation"),
        ({"distribution_channels": ["pigeon"]}, "distribution_channels"),
        ({"eu_business_users": 5}, "reach_counted_on"),
        ({"training_compute_flop": -1}, "training_compute_flop"),
        ({"modifies_id": 999_999}, "modifies_id"),
        ({"modification_compute_flop": 1e23}, "modifies_id"),
    ],
)
def test_bad_facts_are_a_422_naming_the_field(
    world: dict[str, Any], facts: dict[str, Any], field: str
) -> None:
    model = world["beta_version"].model
    response = _post(
        world["bob"],
        f"/api/v1/registry/models/{model.pk}/versions",
        {"label": "bad", **FACTS, **facts},
    )
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert field in {e["field"] for e in body["errors"]}, body
    assert not ModelVersion.objects.filter(label="bad").exists()


def test_a_change_of_facts_is_audited_and_assessed_again(world: dict[str, Any]) -> None:
    version = world["beta_version"]
    services.version_assess(actor=None, version=version)
    first = ModelVersion.objects.get(pk=version.pk).current_assessment_id
    changed = _patch(
        world["bob"],
        f"/api/v1/registry/versions/{version.pk}",
        {"training_compute_flop": 5e24, "parameters": 7_000_000_000},
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert body["training_compute_flop"] == 5e24
    assert body["placed_on_market"] == "2025-09-01"  # not sent: unchanged
    assert body["current_assessment"]["id"] != first
    assert body["current_assessment"]["systemic_risk_status"] == "not_sr"
    event = AuditEvent.objects.filter(action="registry.version.updated").latest("id")
    assert set(event.after) == {"training_compute_flop", "parameters"}
    bad = _patch(
        world["bob"], f"/api/v1/registry/versions/{version.pk}", {"compute_method": "guess"}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "compute_method"


def test_a_version_modifies_only_a_version_its_provider_sees(world: dict[str, Any]) -> None:
    other = services.version_create(
        actor=None,
        model=services.model_register(actor=None, organisation=world["new"], name="Nova"),
        label="1",
    )
    model = world["beta_version"].model
    url = f"/api/v1/registry/models/{model.pk}/versions"
    hidden = _post(world["bob"], url, {"label": "ft", **FACTS, "modifies_id": other.pk})
    assert hidden.status_code == 422
    assert hidden.json()["errors"][0]["field"] == "modifies_id"
    own = _post(
        world["bob"],
        url,
        {
            "label": "ft",
            **FACTS,
            "modifies_id": world["beta_version"].pk,
            "modification_compute_flop": 1e23,
        },
    )
    assert own.status_code == 201, own.json()
    assert own.json()["modifies_id"] == world["beta_version"].pk


def _mandate_form(representative: Organisation, **changes: Any) -> dict[str, Any]:
    return {
        "representative_id": representative.pk,
        "union_country": "IE",
        "tasks": ["art54_3_a", "art54_3_b"],
        "start": TODAY.isoformat(),
        "mandate_document": SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
        **changes,
    }


def test_the_provider_records_a_mandate_and_reads_it_back(world: dict[str, Any]) -> None:
    beta = world["beta"]
    response = world["bob"].post(
        f"/api/v1/registry/providers/{beta.pk}/mandates", _mandate_form(world["rep"])
    )
    assert response.status_code == 201, response.json()
    mandate = response.json()
    assert mandate["tasks"] == ["art54_3_a", "art54_3_b"]
    assert mandate["mandate_sha256"] == hashlib.sha256(PDF).hexdigest()
    detail = world["bob"].get(f"/api/v1/registry/providers/{beta.pk}").json()
    assert {m["id"] for m in detail["mandates"]} == {world["mandate"].pk, mandate["id"]}
    assert [m["name"] for m in detail["models"]] == ["Beta-1"]
    download = world["bob"].get(f"/api/v1/registry/mandates/{mandate['id']}/document")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["X-Content-SHA256"] == hashlib.sha256(PDF).hexdigest()
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mandate_document": SimpleUploadedFile("m.pdf", b"not a pdf")}, "mandate_document"),
        ({"tasks": ["art99"]}, "tasks"),
        ({"union_country": "US"}, "union_country"),
        ({"representative_id": 999_999}, "representative_id"),
        ({"representative_id": "provider"}, "representative_id"),
        ({"end": (TODAY - timedelta(days=5)).isoformat()}, "end"),
    ],
)
def test_a_bad_mandate_is_a_422_naming_the_field(
    world: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    if changes.get("representative_id") == "provider":
        changes = {"representative_id": world["new"].pk}  # not a representative
    response = world["bob"].post(
        f"/api/v1/registry/providers/{world['beta'].pk}/mandates",
        _mandate_form(world["rep"], **changes),
    )
    assert response.status_code == 422, response.json()
    assert "Newcomer" not in response.json()["message"]  # no other organisation's name
    fields = {e["field"] for e in response.json()["errors"]}
    assert field in fields, response.json()
    assert AuthorisedRepresentative.objects.count() == 1


def test_the_representative_terminates_with_reasons_and_the_provider_is_flagged(
    world: dict[str, Any],
) -> None:
    mandate = world["mandate"]
    url = f"/api/v1/registry/mandates/{mandate.pk}/terminate"
    assert _post(world["bob"], url, {"reasons": "x"}).status_code == 403
    assert _post(world["staff"], url, {"reasons": "x"}).status_code == 403
    empty = _post(world["rita"], url, {"reasons": "  "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "reasons"
    done = _post(world["rita"], url, {"reasons": "The provider ignores its obligations."})
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["office_informed"] is True
    assert "AI Office is informed" in body["message"]
    assert body["provider_lacks_representative"] is True
    assert Provider.objects.get(pk=world["beta"].pk).lacks_representative
    flagged = world["staff"].get("/api/v1/registry/providers?lacks_representative=true").json()
    assert [p["name"] for p in flagged["items"]] == ["Beta Labs"]
    again = _post(world["rita"], url, {"reasons": "Again."})
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "mandate"
    assert "already terminated" in again.json()["message"]


def test_another_provider_gets_404_everywhere(world: dict[str, Any]) -> None:
    nina = world["nina"]
    beta, version, mandate = world["beta"], world["beta_version"], world["mandate"]
    for response in (
        _post(nina, f"/api/v1/registry/models/{version.model_id}/versions", {"label": "x"}),
        _patch(nina, f"/api/v1/registry/versions/{version.pk}", {"parameters": 1}),
        nina.get(f"/api/v1/registry/providers/{beta.pk}"),
        nina.post(f"/api/v1/registry/providers/{beta.pk}/mandates", _mandate_form(world["rep"])),
        _post(nina, f"/api/v1/registry/mandates/{mandate.pk}/terminate", {"reasons": "x"}),
        nina.get(f"/api/v1/registry/mandates/{mandate.pk}/document"),
    ):
        assert response.status_code == 404
    assert nina.get("/api/v1/registry/providers").json()["count"] == 0


def test_the_provider_list_and_csv(world: dict[str, Any], django_assert_num_queries: Any) -> None:
    for i in range(30):
        services.provider_register(actor=None, organisation=_organisation(f"Provider {i:02d}"))
    staff = world["staff"]
    first = staff.get("/api/v1/registry/providers?page_size=10").json()
    assert first["count"] == 31
    # session, user, OTP device, roles, count, page.
    with django_assert_num_queries(6):
        staff.get("/api/v1/registry/providers?page_size=25")
    with django_assert_num_queries(6):
        staff.get("/api/v1/registry/providers?page=2&page_size=10&lacks_representative=false")
    own = world["bob"].get("/api/v1/registry/providers").json()
    assert [p["name"] for p in own["items"]] == ["Beta Labs"]
    download = staff.get("/api/v1/registry/providers.csv")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:2] == ["id", "name"]
    assert len(rows) == 32


# --- the pages -------------------------------------------------------------------------------


def _version_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": "1.0",
        "placed_on_market": "2025-09-01",
        "generates": ["text"],
        "compute_method": "reported",
        "training_compute_flop": "3.8e25",
        "compute_uncertainty_percent": "10",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_new_provider_registers_and_notifies_through_the_pages(world: dict[str, Any]) -> None:
    nina = world["nina"]
    listing = nina.get(reverse("registry:model_list"))
    assert reverse("registry:model_register") in listing.content.decode()
    form = nina.get(reverse("registry:model_register"))
    assert form.status_code == 200
    assert 'name="organisation"' in form.content.decode()  # hidden: her only organisation
    made = nina.post(
        reverse("registry:model_register"),
        {"name": "Nova", "public_description": "A model.", "organisation": world["new"].pk},
    )
    model = GPAIModel.objects.get(name="Nova")
    assert made.status_code == 302
    assert made["Location"] == reverse("registry:version_add", args=[model.pk])
    assert (
        reverse("registry:version_add", args=[model.pk])
        in nina.get(reverse("registry:model_detail", args=[model.pk])).content.decode()
    )
    page = nina.get(reverse("registry:version_add", args=[model.pk])).content.decode()
    for legend in ("Market", "Training compute", "Size", "Open-source licence", "Lineage"):
        assert f">{legend}</legend>" in page
    added = nina.post(
        reverse("registry:version_add", args=[model.pk]),
        _version_post(os_released="on", os_rights=["access", "use"], os_weights_public="on"),
    )
    version = ModelVersion.objects.get(model=model)
    assert added.status_code == 302
    assert version.open_source is not None
    assert version.open_source["rights"] == ["access", "use"]
    shown = nina.get(added["Location"]).content.decode()
    assert 'data-status="presumed"' in shown
    assert reverse("registry:version_edit", args=[version.pk]) in shown
    notified = nina.post(
        reverse("registry:notification_submit", args=[version.pk]),
        {
            "trigger": "compute_threshold",
            "compute_flop": "3.8e25",
            "estimation_method": "reported",
            "assumptions": "dense",
            "uncertainty": "10%",
            "trigger_date": TODAY.isoformat(),
        },
    )
    assert notified.status_code == 302
    assert Notification.objects.get().version == version


def test_bad_facts_on_the_page_are_shown_next_to_the_field(world: dict[str, Any]) -> None:
    model = world["beta_version"].model
    url = reverse("registry:version_add", args=[model.pk])
    for changes, field in (
        ({"compute_method": "six_pd", "training_compute_flop": None}, "parameters"),
        ({"eu_business_users": "5"}, "reach_counted_on"),
        ({"training_compute_flop": "lots"}, "training_compute_flop"),
        ({"label": "1.0"}, "label"),  # Beta-1 already has a version 1.0
    ):
        response = world["bob"].post(url, _version_post(**changes))
        assert response.status_code == 200, changes
        assert f'id="id_{field}-error"' in response.content.decode(), (changes, field)
    assert ModelVersion.objects.filter(model=model).count() == 1


def test_the_facts_are_edited_on_the_page_and_assessed_again(world: dict[str, Any]) -> None:
    version = world["beta_version"]
    url = reverse("registry:version_edit", args=[version.pk])
    page = world["bob"].get(url).content.decode()
    assert 'value="3.8e+25"' in page or 'value="3.8e25"' in page
    changed = world["bob"].post(url, _version_post(training_compute_flop="5e24"))
    assert changed.status_code == 302
    version.refresh_from_db()
    assert version.training_compute_flop == 5e24
    assert version.systemic_risk_status == "not_sr"
    assert world["staff"].get(url).status_code == 403


def test_the_provider_page_records_a_mandate_and_the_representative_terminates(
    world: dict[str, Any],
) -> None:
    beta, rep = world["beta"], world["rep"]
    page = world["bob"].get(reverse("registry:provider_detail", args=[beta.pk])).content.decode()
    assert "Union Rep" in page and reverse("registry:mandate_add", args=[beta.pk]) in page
    assert reverse("registry:mandate_terminate", args=[world["mandate"].pk]) not in page
    bad = world["bob"].post(
        reverse("registry:mandate_add", args=[beta.pk]),
        {
            "representative": rep.pk,
            "union_country": "IE",
            "tasks": ["art54_3_a"],
            "start": TODAY.isoformat(),
            "mandate_document": SimpleUploadedFile("m.pdf", b"plain text"),
        },
    )
    assert 'id="id_mandate_document-error"' in bad.content.decode()
    good = world["bob"].post(
        reverse("registry:mandate_add", args=[beta.pk]),
        {
            "representative": rep.pk,
            "union_country": "IE",
            "tasks": ["art54_3_a"],
            "start": TODAY.isoformat(),
            "mandate_document": SimpleUploadedFile("m.pdf", PDF),
        },
    )
    assert good.status_code == 302
    assert AuthorisedRepresentative.objects.count() == 2
    download = world["bob"].get(reverse("registry:mandate_document", args=[world["mandate"].pk]))
    assert download["X-Content-SHA256"] == hashlib.sha256(PDF).hexdigest()

    rita = world["rita"]
    seen = rita.get(reverse("registry:provider_detail", args=[beta.pk])).content.decode()
    terminate = reverse("registry:mandate_terminate", args=[world["mandate"].pk])
    assert terminate in seen
    assert world["bob"].get(terminate).status_code == 403
    empty = rita.post(terminate, {"reasons": ""})
    assert 'id="id_reasons-error"' in empty.content.decode()
    for mandate in AuthorisedRepresentative.objects.order_by("id"):
        done = rita.post(
            reverse("registry:mandate_terminate", args=[mandate.pk]),
            {"reasons": "The provider ignores its obligations."},
            follow=True,
        )
        assert "The AI Office is informed" in done.content.decode()
    assert Provider.objects.get(pk=beta.pk).lacks_representative
    flagged = world["staff"].get(reverse("registry:provider_detail", args=[beta.pk]))
    assert 'data-testid="lacks-representative"' in flagged.content.decode()


def test_the_staff_provider_list_filters_and_exports(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    for i in range(30):
        services.provider_register(actor=None, organisation=_organisation(f"Provider {i:02d}"))
    Provider.objects.filter(pk=world["beta"].pk).update(
        lacks_representative=True, lacks_representative_since=timezone.now()
    )
    staff = world["staff"]
    url = reverse("registry:provider_list")
    # session, user, OTP device, roles, count, page.
    with django_assert_num_queries(6):
        first = staff.get(url)
    assert "31 providers" in first.content.decode()
    with django_assert_num_queries(6):
        lacking = staff.get(url, {"lacks_representative": "yes", "page": "1"})
    assert "1 provider<" in lacking.content.decode() and "Beta Labs" in lacking.content.decode()
    download = staff.get(reverse("registry:provider_list_csv"), {"lacks_representative": "yes"})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))  # type: ignore[attr-defined]
    assert [r[0] for r in rows] == ["provider", "Beta Labs"]
    assert world["bob"].get(url).status_code == 403
    no_2fa = signed_in_client(make_user(Role.POLICY_OFFICER, "pat"), second_factor=False)
    assert no_2fa.get(url).status_code in {302, 403}


def test_another_provider_gets_404_on_every_page(world: dict[str, Any]) -> None:
    nina = world["nina"]
    beta, version, mandate = world["beta"], world["beta_version"], world["mandate"]
    for url in (
        reverse("registry:version_add", args=[version.model_id]),
        reverse("registry:version_edit", args=[version.pk]),
        reverse("registry:provider_detail", args=[beta.pk]),
        reverse("registry:mandate_add", args=[beta.pk]),
        reverse("registry:mandate_terminate", args=[mandate.pk]),
        reverse("registry:mandate_document", args=[mandate.pk]),
    ):
        assert nina.get(url).status_code == 404, url
        assert nina.post(url, {"reasons": "x", "label": "x"}).status_code in {404, 405}, url
    assert nina.get(reverse("registry:provider_list")).status_code == 403
    nobody = signed_in_client(make_user(None, "nobody"))
    assert nobody.get(reverse("registry:model_register")).status_code == 403
    assert Client().get(reverse("registry:model_register")).status_code == 302


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_new_page_for_every_principal(name: str) -> None:
    """The member principal works for the provider; staff see it; the others see nothing."""
    org = organisation(OrganisationKind.GPAI_PROVIDER)
    model = services.model_register(actor=None, organisation=org, name="Own")
    version = services.version_create(actor=None, model=model, label="1")
    rep = _organisation(
        "Union Rep", OrganisationKind.AUTHORISED_REPRESENTATIVE, country="IE", in_union=True
    )
    mandate = services.representative_appoint(
        actor=None,
        provider=model.provider,
        representative=rep,
        document=ContentFile(PDF, name="mandate.pdf"),
        union_country="IE",
        tasks=["art54_3_a"],
        start=TODAY,
    )
    who = principal(name)
    staff = name in OFFICE_ROLES
    own = name == Role.ORGANISATION_MEMBER
    pages = {
        reverse("registry:model_register"): 200 if own else 403,
        reverse("registry:version_add", args=[model.pk]): 200 if own else 403 if staff else 404,
        reverse("registry:version_edit", args=[version.pk]): 200 if own else 403 if staff else 404,
        reverse("registry:provider_detail", args=[model.provider_id]): 200 if own or staff else 404,
        reverse("registry:mandate_add", args=[model.provider_id]): 200 if own or staff else 404,
        reverse("registry:mandate_terminate", args=[mandate.pk]): 403 if own or staff else 404,
        reverse("registry:mandate_document", args=[mandate.pk]): 200 if own or staff else 404,
        reverse("registry:provider_list"): 200 if staff else 403,
        reverse("registry:provider_list_csv"): 200 if staff else 403,
    }
    for url, expected in pages.items():
        response = who.client.get(url)
        if name == ANONYMOUS:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
        else:
            assert response.status_code == expected, (name, url)
