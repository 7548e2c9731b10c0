"""Targets and runs through their services: each field checked by name, API keys never
stored in plain text, a target checked with one real request, runs queued, cancelled and
retried with their audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from aioffice.accounts.choices import Role
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user
from aioffice.evaluations import secrets, services
from aioffice.evaluations.choices import RunStatus, TargetKind
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry.models import ModelVersion
from aioffice.registry.testing import registered_version
from gpai_evals.catalogue import SUITES
from gpai_evals.stub_server import serve

pytestmark = pytest.mark.django_db


def _version(name: str = "Svc-1") -> ModelVersion:
    return registered_version(provider=f"{name} Labs", model=name)


@pytest.fixture
def tess() -> Any:
    return make_user(Role.TECHNICAL_OFFICER, "tess")


@pytest.fixture
def version() -> ModelVersion:
    return _version()


def _error(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "kind": "mock"}, "name"),
        ({"name": "has space", "kind": "mock"}, "name"),
        ({"name": "ok", "kind": "telepathy"}, "kind"),
        ({"name": "ok", "kind": "openai_compatible", "model_name": "m"}, "base_url"),
        (
            {"name": "ok", "kind": "openai_compatible", "base_url": "ftp://x", "model_name": "m"},
            "base_url",
        ),
        ({"name": "ok", "kind": "vllm", "base_url": "http://127.0.0.1:9/v1"}, "model_name"),
        ({"name": "ok", "kind": "transformers"}, "model_path"),
        ({"name": "ok", "kind": "transformers", "model_path": "relative/dir"}, "model_path"),
        ({"name": "ok", "kind": "mock", "api_key": "sk-secret-key"}, "api_key"),
        ({"name": "ok", "kind": "mock", "model_args": {"bad name": 1}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"answer": [1, 2]}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": "answer"}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"answer": "a\x00b"}}, "model_args"),
        # JSON has no NaN or infinity: the database refused them with a 500
        ({"name": "ok", "kind": "mock", "model_args": {"x": float("nan")}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"x": float("-inf")}}, "model_args"),
        # a credential would be kept and shown in plain text (Inspect's log keeps base_url)
        ({"name": "ok", "kind": "mock", "model_args": {"api_key": "sk-plain-1"}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"hf_token": "hf_plain"}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"AWS_SECRET": "s"}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"password": "s"}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"accessToken": "s"}}, "model_args"),
        ({"name": "ok", "kind": "mock", "model_args": {"APIKey": "s"}}, "model_args"),
        # what the target's own fields set: the run would reach another address or key
        (
            {
                "name": "ok",
                "kind": "openai_compatible",
                "base_url": "http://127.0.0.1:9/v1",
                "model_name": "m",
                "model_args": {"base_url": "http://elsewhere.test/v1"},
            },
            "model_args",
        ),
        ({"name": "ok", "kind": "mock", "model_args": {"api_key_var": "OTHER_KEY"}}, "model_args"),
        (
            {
                "name": "ok",
                "kind": "transformers",
                "model_path": "/models/a",
                "model_args": {"model_path": "/models/b"},
            },
            "model_args",
        ),
        ({"name": "o\x00k", "kind": "mock"}, "name"),
    ],
)
def test_a_target_names_the_field_it_lacks(
    tess: Any, version: ModelVersion, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.target_create(actor=tess, version=version, **fields)
    assert field in _error(caught)
    assert not EvaluationTarget.objects.exists()


def test_model_arguments_that_are_neither_credentials_nor_reserved_are_kept(
    tess: Any, version: ModelVersion
) -> None:
    args = {"tokenizer_path": "/t", "max_new_tokens": 5, "keyword": "x", "device": "cuda"}
    target = services.target_create(
        actor=tess,
        version=version,
        name="local",
        kind=TargetKind.TRANSFORMERS,
        model_path="/models/a",
        model_args=args,
    )
    assert target.model_args == args


def test_a_name_taken_meanwhile_is_a_field_error(
    tess: Any, version: ModelVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two people adding the same name at once: the second passes the look-up before the
    first commits, and the database's unique constraint refuses it (was a 500)."""
    from django.db.models.query import QuerySet

    services.target_create(actor=tess, version=version, name="shared", kind=TargetKind.MOCK)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)  # the look-up saw nothing yet
    with pytest.raises(ValidationError) as caught:
        services.target_create(actor=tess, version=version, name="Shared", kind=TargetKind.MOCK)
    assert "name" in _error(caught)
    monkeypatch.undo()
    assert EvaluationTarget.objects.filter(name="shared").count() == 1
    assert AuditEvent.objects.filter(action="evaluations.target.created").count() == 1


def test_an_api_key_is_stored_encrypted_with_a_hint_only(tess: Any, version: ModelVersion) -> None:
    target = services.target_create(
        actor=tess,
        version=version,
        name="Staging",
        kind=TargetKind.OPENAI_COMPATIBLE,
        base_url="https://api.example.org/v1/",
        model_name="frontier-1",
        api_key="sk-live-0123456789abcd",
    )
    assert target.name == "staging"
    assert target.base_url == "https://api.example.org/v1"
    assert "sk-live" not in target.api_key_encrypted
    assert target.api_key_hint == "…abcd"
    assert secrets.decrypt(target.api_key_encrypted) == "sk-live-0123456789abcd"
    event = AuditEvent.objects.get(action="evaluations.target.created")
    assert "0123456789" not in str(event.after)
    with pytest.raises(ValidationError) as caught:
        services.target_create(
            actor=tess, version=version, name="staging", kind=TargetKind.MOCK, model_name="x"
        )
    assert "name" in _error(caught)

    services.target_set_api_key(actor=tess, target=target, api_key="")
    target.refresh_from_db()
    assert target.api_key_encrypted == "" and target.api_key_hint == ""
    mock = services.target_create(actor=tess, version=version, name="mock", kind=TargetKind.MOCK)
    with pytest.raises(ValidationError) as caught:
        services.target_set_api_key(actor=tess, target=mock, api_key="sk-x")
    assert "api_key" in _error(caught)


def test_a_key_under_another_encryption_key_cannot_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = secrets.encrypt("sk-abc")
    monkeypatch.setenv("AIOFFICE_TARGET_KEY", "A" * 43 + "=")
    with pytest.raises(secrets.SecretUnavailable):
        secrets.decrypt(token)
    assert secrets.decrypt("") == ""
    assert secrets.hint("short") == "…"
    assert secrets.hint("") == ""


def test_checking_an_endpoint_sends_one_request_with_the_key(
    tess: Any, version: ModelVersion
) -> None:
    with serve(answer="OK", api_key="sk-right-key-123456") as stub:
        right = services.target_create(
            actor=tess,
            version=version,
            name="right",
            kind=TargetKind.OPENAI_COMPATIBLE,
            base_url=stub.base_url,
            model_name="stub-model",
            api_key="sk-right-key-123456",
        )
        wrong = services.target_create(
            actor=tess,
            version=version,
            name="wrong",
            kind=TargetKind.VLLM,
            base_url=stub.base_url,
            model_name="stub-model",
            api_key="sk-wrong-key-123456",
        )
        services.target_check(actor=tess, target=right)
        services.target_check(actor=tess, target=wrong)
        assert stub.total == 1
        assert stub.unauthorised == 1
    right.refresh_from_db()
    wrong.refresh_from_db()
    assert right.check_ok is True and right.check_latency_ms is not None
    assert wrong.check_ok is False and "401" in wrong.check_message
    # the server is gone now: the check says so instead of failing
    services.target_check(actor=tess, target=right)
    right.refresh_from_db()
    assert right.check_ok is False and "No answer" in right.check_message


def test_checking_a_local_directory_and_the_mock(
    tess: Any, version: ModelVersion, tmp_path: Path
) -> None:
    directory = tmp_path / "tiny"
    target = services.target_create(
        actor=tess, version=version, name="local", kind="transformers", model_path=str(directory)
    )
    assert target.model_name == "tiny"
    assert services.target_check(actor=tess, target=target).check_ok is False
    directory.mkdir()
    (directory / "config.json").write_text("{}")
    checked = services.target_check(actor=tess, target=target)
    assert checked.check_ok is False and "tokenizer_config.json" in checked.check_message
    (directory / "tokenizer_config.json").write_text("{}")
    (directory / "model.safetensors").write_bytes(b"\0")
    assert services.target_check(actor=tess, target=target).check_ok is True
    mock = services.target_create(actor=tess, version=version, name="mock", kind="mock")
    assert services.target_check(actor=tess, target=mock).check_ok is True


# --- runs --------------------------------------------------------------------------------------


@pytest.fixture
def mock_target(tess: Any, version: ModelVersion) -> EvaluationTarget:
    return services.target_create(actor=tess, version=version, name="mock", kind=TargetKind.MOCK)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "tasks"),
        ({"tasks": ["no_such_task"]}, "tasks"),
        ({"suite": "everything"}, "suite"),
        ({"tasks": ["make_me_pay"]}, "tasks"),  # needs a second model
        ({"tasks": ["arithmetic_probe"], "epochs": 0}, "epochs"),
        ({"tasks": ["arithmetic_probe"], "epochs": 2.5}, "epochs"),
        ({"tasks": ["arithmetic_probe"], "epochs": "3"}, "epochs"),
        ({"tasks": ["arithmetic_probe"], "temperature": 5}, "temperature"),
        ({"tasks": ["arithmetic_probe"], "max_tokens": 0}, "max_tokens"),
        ({"tasks": ["arithmetic_probe"], "time_limit": 10**9}, "time_limit"),
        ({"tasks": ["arithmetic_probe"], "max_connections": 0}, "max_connections"),
        ({"tasks": ["arithmetic_probe"], "sample_limit": -1}, "sample_limit"),
        ({"tasks": ["arithmetic_probe"], "seed": 2**40}, "seed"),
        ({"tasks": ["arithmetic_probe"], "epochs": 10**400}, "epochs"),  # float() overflows
        ({"tasks": ["arithmetic_probe"], "seed": -(10**400)}, "seed"),
        ({"tasks": ["arithmetic_probe"], "temperature": float("nan")}, "temperature"),
        ({"tasks": ["arithmetic_probe"], "temperature": float("inf")}, "temperature"),
        ({"tasks": ["arithmetic_probe"], "epochs": float("inf")}, "epochs"),
        ({"tasks": ["arithmetic_probe"], "task_args": {"gsm8k": {}}}, "task_args"),
        ({"tasks": ["gsm8k"], "task_args": {"gsm8k": {"x": float("nan")}}}, "task_args"),
        ({"tasks": ["gsm8k"], "task_args": {"gsm8k": {"data_dir": [1]}}}, "task_args"),
        ({"tasks": ["gsm8k"], "task_args": ["gsm8k"]}, "task_args"),
        ({"tasks": ["arithmetic_probe"], "notes": "x" * 10_001}, "notes"),
    ],
)
def test_a_run_names_the_field_it_refuses(
    tess: Any,
    version: ModelVersion,
    mock_target: EvaluationTarget,
    fields: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.run_queue(actor=tess, version=version, target=mock_target, **fields)
    assert field in _error(caught)
    assert not EvaluationRun.objects.exists()


def test_a_target_of_another_version_is_refused(tess: Any, mock_target: EvaluationTarget) -> None:
    other = _version("Other-1")
    with pytest.raises(ValidationError) as caught:
        services.run_queue(actor=tess, version=other, target=mock_target, suite="smoke")
    assert "target" in _error(caught)


def test_a_suite_and_tasks_are_merged_in_order(
    tess: Any, version: ModelVersion, mock_target: EvaluationTarget
) -> None:
    run = services.run_queue(
        actor=tess,
        version=version,
        target=mock_target,
        suite="smoke",
        tasks=["arithmetic_probe", "gsm8k"],
        task_args={"gsm8k": {"data_dir": "/data/gsm8k"}},
        temperature=0,
        enqueue=False,
    )
    assert run.tasks == [*SUITES["smoke"], "gsm8k"]
    assert run.status == RunStatus.QUEUED
    assert run.temperature == 0.0
    assert AuditEvent.objects.filter(action="evaluations.run.queued", object_id=str(run.pk))


def test_cancel_and_retry(tess: Any, version: ModelVersion, mock_target: EvaluationTarget) -> None:
    run = services.run_queue(
        actor=tess, version=version, target=mock_target, suite="smoke", enqueue=False
    )
    services.run_cancel(actor=tess, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED and run.finished_at is not None
    with pytest.raises(ValidationError) as caught:
        services.run_cancel(actor=tess, run=run)
    assert "status" in _error(caught)

    running = services.run_queue(
        actor=tess, version=version, target=mock_target, suite="smoke", enqueue=False
    )
    EvaluationRun.objects.filter(pk=running.pk).update(status=RunStatus.RUNNING)
    running.refresh_from_db()
    services.run_cancel(actor=tess, run=running)
    running.refresh_from_db()
    # a running run is asked to stop; the worker ends it
    assert running.status == RunStatus.RUNNING and running.cancel_requested
    with pytest.raises(ValidationError) as caught:
        services.run_retry(actor=tess, run=running)
    assert "status" in _error(caught)
