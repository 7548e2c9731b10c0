"""Shared fixtures of the evaluation tests: a registered model version, a technical officer,
targets (the offline mock, the OpenAI-compatible stub server), and a run executed for real
(the runner subprocess on the mock model, its results stored by `execution`).

Runs write under a temporary media root and working directory (`evaluation_dirs`); every
fixture that executes or stores a run uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aioffice.accounts.models import User
from aioffice.core.testing import make_user
from aioffice.evaluations import execution, services
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget
from aioffice.registry.models import ModelVersion
from gpai_evals.stub_server import StubServer, serve

STUB_KEY = "sk-test-stub-key-1234"  # a test fixture, not a secret


@pytest.fixture
def evaluation_dirs(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Stored logs and the runs' working directories go to temporary folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVALUATIONS_DIR = tmp_path / "evaluations"
    return {"media": settings.MEDIA_ROOT, "evaluations": settings.EVALUATIONS_DIR}


def register_version(model_name: str = "Evaluated Model", label: str = "1.0") -> ModelVersion:
    """A registered model version of a provider established in the Union."""
    from aioffice.registry.testing import registered_version

    return registered_version(provider="Evaluated Provider", model=model_name, label=label)


@pytest.fixture
def model_version(db: None) -> ModelVersion:
    return register_version()


@pytest.fixture
def technical_officer(db: None) -> User:
    """Office staff allowed to operate evaluations."""
    return make_user("technical_officer", "evaluations-officer")


@pytest.fixture
def mock_target(model_version: ModelVersion, technical_officer: User) -> EvaluationTarget:
    """Inspect's mock model (gpai_mock), answering "ANSWER: A" to everything, offline."""
    return services.target_create(
        actor=technical_officer,
        version=model_version,
        name="mock",
        kind="mock",
        model_name="fixed",
        model_args={"answer": "ANSWER: A"},
    )


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """An OpenAI-compatible server on 127.0.0.1 that wants STUB_KEY."""
    with serve(answer="ANSWER: A", api_key=STUB_KEY) as stub:
        yield stub


@pytest.fixture
def endpoint_target(
    model_version: ModelVersion, technical_officer: User, stub_server: StubServer
) -> EvaluationTarget:
    """The stub server as an OpenAI-compatible target, with its API key (kept encrypted)."""
    return services.target_create(
        actor=technical_officer,
        version=model_version,
        name="stub-endpoint",
        kind="openai_compatible",
        base_url=stub_server.base_url,
        model_name="stub-model",
        api_key=STUB_KEY,
    )


@pytest.fixture
def finished_run(
    evaluation_dirs: dict[str, Path], mock_target: EvaluationTarget, technical_officer: User
) -> EvaluationRun:
    """A run of two probe tasks on the mock target, executed for real (a runner subprocess)
    and stored by `execution.execute`: status succeeded, results per task with metrics and
    the Inspect log kept with its SHA-256."""
    run = services.run_queue(
        actor=technical_officer,
        version=mock_target.version,
        target=mock_target,
        tasks=["arithmetic_probe", "self_knowledge_probe"],
        epochs=2,
        enqueue=False,
    )
    execution.execute(run.pk)
    run.refresh_from_db()
    return run
