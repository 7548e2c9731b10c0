"""The evaluation page forms parse and name their fields; the services decide the rest."""

from __future__ import annotations

import pytest

from aioffice.evaluations.forms import (
    OFFLINE_LABELS,
    RISK_AREA_LABELS,
    CatalogueFilterForm,
    RunFilterForm,
    RunForm,
    TargetForm,
    TargetKeyForm,
    task_choices,
)
from aioffice.evaluations.models import EvaluationTarget
from gpai_evals.catalogue import CATALOGUE, Offline, RiskArea

from ._page_factories import make_target, make_version


def test_every_risk_area_and_offline_readiness_has_words() -> None:
    assert set(RISK_AREA_LABELS) == set(RiskArea)
    assert set(OFFLINE_LABELS) == set(Offline)
    assert [name for name, _label in task_choices()] == [entry.name for entry in CATALOGUE]
    labels = dict(task_choices())
    assert labels["make_me_pay"].endswith("needs a second model")
    assert "Offline with a local copy of the data" in labels["wmdp_bio"]


def test_a_mock_answer_becomes_the_model_argument() -> None:
    form = TargetForm({"name": "m", "kind": "mock", "mock_answer": "ANSWER: B"})
    assert form.is_valid(), form.errors
    assert form.target_data()["model_args"] == {"answer": "ANSWER: B"}
    plain = TargetForm({"name": "m", "kind": "mock"})
    assert plain.is_valid() and plain.target_data()["model_args"] is None
    wrong = TargetForm({"name": "m", "kind": "vllm", "mock_answer": "ANSWER: B"})
    assert not wrong.is_valid() and "mock_answer" in wrong.errors


def test_the_key_field_is_a_password_never_rendered_back() -> None:
    form = TargetForm({"name": "e", "kind": "vllm", "api_key": "sk-do-not-echo-1234"})
    form.is_valid()
    form.add_error("base_url", "refused")  # re-rendered after a service error
    html = str(form["api_key"])
    assert 'type="password"' in html and "sk-do-not-echo-1234" not in html
    keyed = TargetKeyForm({"k-api_key": "sk-do-not-echo-1234", "k-action": "set"}, prefix="k")
    assert keyed.is_valid() and keyed.new_key() == "sk-do-not-echo-1234"
    assert "sk-do-not-echo-1234" not in str(keyed["api_key"])


def test_the_key_form_needs_a_key_to_set_and_none_to_remove() -> None:
    assert "api_key" in TargetKeyForm({"action": "set"}).errors
    remove = TargetKeyForm({"action": "remove", "api_key": "ignored-key-123"})
    assert remove.is_valid() and remove.new_key() == ""
    assert "action" in TargetKeyForm({"action": "shred"}).errors


@pytest.mark.django_db
def test_the_run_form_parses_and_offers_only_the_versions_targets() -> None:
    version = make_version()
    other = make_version("2.0")
    mine = make_target(version)
    theirs = make_target(other, "theirs")
    targets = EvaluationTarget.objects.filter(version=version)
    form = RunForm(
        {"target": mine.pk, "tasks": ["arithmetic_probe"], "epochs": "3", "max_connections": "2"},
        targets=targets,
    )
    assert form.is_valid(), form.errors
    data = form.run_data()
    assert "target" not in data and data["suite"] is None
    assert (
        data["epochs"] == 3
        and data["temperature"] is None
        and data["tasks"] == ["arithmetic_probe"]
    )
    refused = RunForm(
        {"target": theirs.pk, "epochs": "x", "tasks": ["nope"], "max_connections": "2"},
        targets=targets,
    )
    assert not refused.is_valid()
    assert {"target", "epochs", "tasks"} <= set(refused.errors)
    assert "suite" not in refused.errors  # empty: a suite is optional
    assert "ecl-radio__input" not in refused.fields["tasks"].widget.attrs["class"]


def test_filters_refuse_what_they_cannot_read() -> None:
    assert not CatalogueFilterForm({"risk_area": "astrology"}).is_valid()
    assert CatalogueFilterForm({"risk_area": "cbrn"}).is_valid()
    assert not RunFilterForm({"version": str(2**63)}).is_valid()
    assert not RunFilterForm({"version": "0"}).is_valid()
    assert not RunFilterForm({"status": "exploded"}).is_valid()
    assert RunFilterForm({"status": "failed", "version": "12"}).is_valid()
