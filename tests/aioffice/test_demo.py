"""The demo: the GPAI data file (every figure with its source, every fact through aiact)
and the loader (empty database, twice, the public list afterwards)."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aiact import ModelFacts, assess_model, load_law
from aioffice import demo
from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user, signed_in_client
from aioffice.demo_data import gpai
from aioffice.registry.choices import NotificationStatus
from aioffice.registry.codeofpractice.models import Chapter, SignatoryStatus, Signature
from aioffice.registry.codeofpractice.selectors import signatory_status
from aioffice.registry.models import (
    Decision,
    GPAIModel,
    Hearing,
    ModelVersion,
    Notification,
    Provider,
)


@pytest.fixture
def demo_var(settings: Any, tmp_path: Path) -> Path:
    """Demo logins and uploaded files stay out of the real var/."""
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


# --- the data file -----------------------------------------------------------------------------


def test_the_data_file_validates_and_every_figure_names_a_listed_source() -> None:
    data = gpai.read()
    sources = data["sources"]
    figures = 0
    for provider in data["providers"]:
        for key in ("country", "established_in_union"):
            assert provider[key]["source"] in sources
        for signature in provider["code_of_practice"]:
            assert signature["source"] in sources
        for model in provider["models"]:
            assert "demo data" in model["description"].lower()
            for version in model["versions"]:
                for name in gpai.FIGURES:
                    if name in version:
                        assert version[name]["source"] in sources, (model["name"], name)
                        figures += 1
    assert figures >= 30
    for source in sources.values():
        assert source["url"].startswith("https://")
        assert source["retrieved"] == date(2026, 11, 25)


def test_a_figure_without_a_source_is_refused_with_its_path() -> None:
    data = copy.deepcopy(gpai.read())
    version = data["providers"][0]["models"][0]["versions"][0]
    del version["training_compute_flop"]["source"]
    version["parameters"] = 1_000_000_000
    data["providers"][0]["code_of_practice"][0]["source"] = "hearsay"
    data["procedures"][0]["submitted_on"] = date(2030, 1, 1)
    with pytest.raises(gpai.DemoDataError) as caught:
        gpai.validate(data)
    problems = caught.value.problems
    path = "providers[0].models[0].versions[0]"
    assert f"{path}.training_compute_flop.source: is missing" in problems
    assert f"{path}.parameters: must be a mapping" in problems
    assert any("'hearsay' is not a key of `sources`" in p for p in problems)
    assert any("procedures[0].submitted_on: is after" in p for p in problems)


def test_an_estimate_states_its_confidence() -> None:
    data = copy.deepcopy(gpai.read())
    compute = data["providers"][0]["models"][0]["versions"][0]["training_compute_flop"]
    del compute["confidence"]
    with pytest.raises(gpai.DemoDataError, match="confidence"):
        gpai.validate(data)


def test_every_version_of_the_file_passes_aiact() -> None:
    """The facts the services will send, read and classified by aiact."""
    data = gpai.read()
    law = load_law()
    for provider in data["providers"]:
        for model in provider["models"]:
            for version in model["versions"]:
                fields = gpai.version_fields(version, data["sources"])
                facts = {
                    "as_of": "2026-11-25",
                    "training_compute_flop": fields.get("training_compute_flop"),
                    "parameters": fields.get("parameters"),
                    "training_tokens": fields.get("training_tokens"),
                    "generates": fields.get("generates", []),
                    "placed_on_market": (
                        fields["placed_on_market"].isoformat()
                        if "placed_on_market" in fields
                        else None
                    ),
                    "provider_established_in_eu": provider["established_in_union"]["value"],
                    "open_source": fields.get("open_source"),
                }
                assert assess_model(ModelFacts.from_json(facts), law=law).classification


# --- the loader --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_loads_on_an_empty_database_and_once_only(demo_var: Path) -> None:
    first = demo.load_once()
    assert first.created
    names = gpai.model_names()
    assert set(GPAIModel.objects.values_list("name", flat=True)) >= set(names)
    counts = (
        Provider.objects.count(),
        GPAIModel.objects.count(),
        ModelVersion.objects.count(),
        Notification.objects.count(),
        Decision.objects.count(),
    )
    second = demo.load_once()
    assert not second.created
    assert gpai.load(users={}).providers == 0  # already there: nothing added
    assert counts == (
        Provider.objects.count(),
        GPAIModel.objects.count(),
        ModelVersion.objects.count(),
        Notification.objects.count(),
        Decision.objects.count(),
    )
    assert all(v.current_assessment_id for v in ModelVersion.objects.all())


@pytest.mark.django_db
def test_the_procedures_follow_aiact(demo_var: Path) -> None:
    demo.load_once()

    def status(model: str) -> str | None:
        return ModelVersion.objects.get(model__name=model).systemic_risk_status

    gpt = Notification.objects.get(version__model__name="GPT-4o")
    assert gpt.status == NotificationStatus.UNDER_ASSESSMENT
    assert not gpt.late
    assert status("GPT-4o") == "presumed"
    hearing = Hearing.objects.get(notification__version__model__name="Mistral Large 2")
    assert hearing.notification.status == NotificationStatus.HEARING
    assert hearing.ends_on > hearing.opened_on
    accepted = Decision.objects.get(version__model__name="Claude 3 Opus")
    assert accepted.kind == "arguments_accepted"
    assert status("Claude 3 Opus") == "not_sr_by_acceptance"
    designation = Decision.objects.get(version__model__name="Llama 3.3 70B")
    assert designation.kind == "designated_annex_xiii"
    assert status("Llama 3.3 70B") == "designated"
    assert all("demo data" in d.reasons.lower() for d in Decision.objects.all())


@pytest.mark.django_db
def test_the_code_of_practice_signatures_are_recorded_by_chapter(demo_var: Path) -> None:
    demo.load_once()
    on = date(2026, 11, 25)

    def signed(name: str) -> set[str]:
        provider = Provider.objects.get(organisation__name=name)
        return {
            chapter
            for chapter in Chapter.values
            if signatory_status(provider, chapter, on) == SignatoryStatus.SIGNED
        }

    assert signed("OpenAI") == set(Chapter.values)
    assert signed("xAI") == {Chapter.SAFETY_AND_SECURITY}
    assert signed("Meta Platforms, Inc.") == set()
    signature = Signature.objects.filter(provider__organisation__name="Mistral AI").first()
    assert signature is not None
    assert signature.source.startswith("https://")
    assert signature.notes.startswith("Demo data.")


@pytest.mark.django_db
def test_the_public_list_shows_the_demo_models_with_systemic_risk(
    demo_var: Path, client: Client
) -> None:
    demo.load_once()
    response = client.get("/api/v1/registry/systemic-risk-models?page_size=100")
    assert response.status_code == 200
    listed = {item["model"] for item in response.json()["items"]}
    assert {
        "GPT-4o",
        "Claude 3.5 Sonnet",
        "Mistral Large 2",
        "Mistral Large",
        "Grok-2",
        "Llama 3.1 405B",
        "Llama 3.3 70B",
    } <= listed
    assert "Claude 3 Opus" not in listed  # arguments accepted
    assert "Pharia-1-LLM-7B-control" not in listed
    entries = {item["model"]: item for item in response.json()["items"]}
    assert entries["Llama 3.1 405B"]["provider"] == "Meta Platforms, Inc."
    assert entries["Llama 3.1 405B"]["fields"]["compute_method"] == "reported"
    sonnet = entries["Claude 3.5 Sonnet"]
    assert "compute_method" not in sonnet["fields"]  # an Epoch estimate is no registry method
    assert "Epoch AI estimate, speculative (https://epoch.ai/" in sonnet["description"]
    page = client.get("/registers/systemic-risk-models/")
    assert page.status_code == 200
    assert "Grok-2" in page.content.decode()


@pytest.mark.django_db
def test_a_clock_behind_the_file_leaves_out_what_is_dated_later(
    demo_var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The services refuse future dates: the loader leaves those steps out, never fails."""
    from datetime import UTC, datetime

    staff = {
        "head": make_user(Role.HEAD_OF_UNIT, "head"),
        "technical": make_user(Role.TECHNICAL_OFFICER, "technical"),
    }
    monkeypatch.setattr(gpai.timezone, "now", lambda: datetime(2025, 9, 1, tzinfo=UTC))
    report = gpai.load(users=staff)
    assert report.providers == 6
    assert report.procedures == 1  # the GPT-4o notification of 2025-08-14
    assert report.skipped == 3 + 3  # three procedures, Aleph Alpha's three signatures


@pytest.mark.django_db
def test_the_demo_logins_of_providers_have_work_waiting(demo_var: Path) -> None:
    """Signed in as `provider`, one sees a notified fictional model with a question from the
    Office to answer; as `representative`, the provider outside the Union it acts for."""
    demo.load_once()
    provider = signed_in_client(User.objects.get(username="provider"))
    page = provider.get("/registry/models/")
    assert page.status_code == 200
    assert "Aurora Polaris" in page.content.decode()
    assert "Llama" not in page.content.decode()  # the real providers' records are not hers
    notification = Notification.objects.get(version__model__name="Aurora Polaris")
    assert not notification.late
    request = notification.information_requests.get()
    assert request.answered_at is None and request.due_on > timezone.now().date()
    detail = provider.get(f"/registry/notifications/{notification.tracking_number}/")
    assert detail.status_code == 200
    representative = signed_in_client(User.objects.get(username="representative"))
    models = representative.get("/api/v1/registry/models").json()["items"]
    assert [m["name"] for m in models] == ["Northwind Nimbus"]
