"""The evaluations API: the public catalogue, targets (the API key never comes back), runs
(queued, cancelled, retried, read with their results and metrics), kept logs, every field of
the two forms refused by name, and pinned query counts of the lists.

Results are written here directly (TaskResult, MetricResult), as the worker stores them, so
the read side is tested without running Inspect.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.core.testing import make_user, organisation, signed_in_client
from aioffice.evaluations import secrets, services
from aioffice.evaluations.choices import RunStatus, TargetKind
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, MetricResult, TaskResult
from aioffice.evaluations.schemas import RiskAreaName, RunStatusName, TargetKindName
from aioffice.registry import services as registry
from aioffice.registry.models import ModelVersion, Provider
from gpai_evals.catalogue import CATALOGUE, SUITES, RiskArea

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/evaluations/"
SECRET = "sk-test-0123456789-abcdefXYZ9"
LOG_BYTES = b"PK\x03\x04 a stand-in for an Inspect .eval log"


# --- the world the tests share (also used by test_api_matrix.py) --------------------------------


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def make_version(model: str = "Fictional Atlas-9", label: str = "1") -> ModelVersion:
    """A version of a fictional provider's model (the provider and model made on first use)."""
    labs = organisation(OrganisationKind.GPAI_PROVIDER, "Imaginary Labs")
    provider = Provider.objects.filter(organisation=labs).first() or registry.provider_register(
        actor=None, organisation=labs
    )
    found = provider.models.filter(name=model).first() or registry.model_create(
        actor=None, provider=provider, name=model
    )
    return registry.version_create(
        actor=None,
        model=found,
        label=label,
        placed_on_market="2025-09-01",
        generates=["text"],
        compute_method="reported",
        training_compute_flop=3.8e25,
    )


def mock_target(version: ModelVersion, name: str = "mock") -> EvaluationTarget:
    return services.target_create(actor=None, version=version, name=name, kind=TargetKind.MOCK)


def endpoint_target(
    version: ModelVersion, name: str = "endpoint", base_url: str = "http://127.0.0.1:9/v1"
) -> EvaluationTarget:
    return services.target_create(
        actor=None,
        version=version,
        name=name,
        kind=TargetKind.OPENAI_COMPATIBLE,
        base_url=base_url,
        model_name="tiny",
        api_key=SECRET,
    )


def queued_run(target: EvaluationTarget, **config: Any) -> EvaluationRun:
    return services.run_queue(
        actor=None,
        version=target.version,
        target=target,
        suite=config.pop("suite", "smoke"),
        enqueue=False,
        **config,
    )


def store_result(
    run: EvaluationRun, task: str = "refusal_probe", value: float = 0.75, content: bytes = LOG_BYTES
) -> TaskResult:
    """A task's result as the worker stores it: the log kept, the headline, two metrics."""
    result = TaskResult(
        run=run,
        task=task,
        risk_area="safeguards",
        status="success",
        eval_id=f"eval-{run.pk}-{task}",
        log_sha256=hashlib.sha256(content).hexdigest(),
        log_size=len(content),
        inspect_model="gpai_mock/model",
        scorer="refusal",
        value=value,
        stderr=0.05,
        ci_low=value - 0.098,
        ci_high=value + 0.098,
        items=40,
        clusters=8,
        samples_total=40,
        samples_completed=40,
        dataset={"name": task, "samples": 40, "sha256": {"probes.jsonl": "ab" * 32}},
        packages={"inspect_ai": "0.3.test"},
        generate_config={"temperature": 0.0},
        task_version="1",
        started_at=timezone.now(),
        completed_at=timezone.now(),
    )
    result.log_file.save(f"{task}.eval", ContentFile(content), save=False)
    result.save()
    MetricResult.objects.create(
        result=result, scorer="refusal", name="accuracy", value=value, stderr=0.05, samples=40
    )
    MetricResult.objects.create(
        result=result, scorer="refusal", name="stderr", value=0.05, samples=40
    )
    return result


def _person(role: str, username: str) -> Client:
    user = User.objects.filter(username=username).first() or make_user(role, username)
    return signed_in_client(user)


def operator() -> Client:
    """A technical officer: runs evaluations."""
    return _person(Role.TECHNICAL_OFFICER, "tess")


def reader() -> Client:
    """A policy officer: reads evaluations, runs none."""
    return _person(Role.POLICY_OFFICER, "paula")


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert {"code", "message", "errors"} <= set(body)
    return {error["field"] for error in body["errors"]}


def csv_of(response: Any) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


# --- the literals mirror the choices ------------------------------------------------------------


def test_the_schema_literals_are_the_choices() -> None:
    assert set(TargetKindName.__args__) == set(TargetKind.values)
    assert set(RunStatusName.__args__) == set(RunStatus.values)
    assert set(RiskAreaName.__args__) == {area.value for area in RiskArea}


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_is_public_and_filtered_by_risk_area(client: Client) -> None:
    everything = client.get(f"{PREFIX}tasks?page_size=100")
    assert everything.status_code == 200
    body = everything.json()
    assert body["count"] == len(CATALOGUE)
    first = body["items"][0]
    assert set(first) == {
        "name",
        "risk_area",
        "measures",
        "data_source",
        "licence",
        "offline",
        "offline_note",
        "ours",
        "roles",
    }
    by_name = {item["name"]: item for item in body["items"]}
    assert by_name["make_me_pay"]["roles"] == ["mark"]
    assert by_name["refusal_probe"]["ours"] is True
    assert by_name["refusal_probe"]["offline"] == "ready"

    cbrn = client.get(f"{PREFIX}tasks?risk_area=cbrn").json()
    assert {i["name"] for i in cbrn["items"]} == {
        e.name for e in CATALOGUE if e.risk_area is RiskArea.CBRN
    }
    assert cbrn["count"] >= 1

    bad = client.get(f"{PREFIX}tasks?risk_area=weather")
    assert fields_of(bad) == {"risk_area"}

    rows = csv_of(client.get(f"{PREFIX}tasks.csv?risk_area=safeguards"))
    assert [r["name"] for r in rows] == [
        e.name for e in CATALOGUE if e.risk_area is RiskArea.SAFEGUARDS
    ]
    assert rows[0]["offline"] == "ready"


def test_the_suites_name_their_tasks() -> None:
    response = reader().get(f"{PREFIX}suites")
    assert response.status_code == 200
    assert {s["name"]: tuple(s["tasks"]) for s in response.json()} == SUITES


# --- targets ------------------------------------------------------------------------------------


def test_an_operator_adds_a_mock_target_and_staff_read_it() -> None:
    version = make_version()
    response = post(
        operator(), f"{PREFIX}targets", {"version": version.pk, "name": "Mock", "kind": "mock"}
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["name"] == "mock"  # names are lower-cased
    assert made["kind"] == "mock"
    assert made["version_id"] == version.pk
    assert made["model"] == "Fictional Atlas-9" and made["version"] == "1"
    assert made["api_key_set"] is False and made["api_key_hint"] == ""
    assert made["created_by"] == "tess"
    assert AuditEvent.objects.filter(
        action="evaluations.target.created", object_id=str(made["id"])
    ).exists()

    staff = reader()
    again = staff.get(f"{PREFIX}targets/{made['id']}")
    assert again.status_code == 200 and again.json() == made
    listed = staff.get(f"{PREFIX}targets?version={version.pk}").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == made["id"]
    other = make_version("Lumen 4")
    assert staff.get(f"{PREFIX}targets?version={other.pk}").json()["count"] == 0
    assert staff.get(f"{PREFIX}targets/{made['id'] + 1000}").status_code == 404


def test_the_api_key_is_stored_encrypted_and_never_returned() -> None:
    version = make_version()
    client = operator()
    response = post(
        client,
        f"{PREFIX}targets",
        {
            "version": version.pk,
            "name": "endpoint",
            "kind": "openai_compatible",
            "base_url": "http://127.0.0.1:9/v1/",
            "model_name": "tiny",
            "api_key": SECRET,
            "model_args": {"timeout": 30},
        },
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert "api_key" not in made and "api_key_encrypted" not in made
    assert made["api_key_set"] is True and made["api_key_hint"] == f"…{SECRET[-4:]}"
    assert made["base_url"] == "http://127.0.0.1:9/v1"
    assert made["model_args"] == {"timeout": 30}
    target = EvaluationTarget.objects.get(pk=made["id"])
    assert SECRET not in target.api_key_encrypted
    assert secrets.decrypt(target.api_key_encrypted) == SECRET

    tid = made["id"]
    for url in (
        f"{PREFIX}targets/{tid}",
        f"{PREFIX}targets",
        f"{PREFIX}targets.csv",
        f"{PREFIX}runs",
    ):
        answer = client.get(url)
        body = answer.content if not answer.streaming else b"".join(answer.streaming_content)
        assert SECRET.encode() not in body and SECRET[:-4].encode() not in body, url
    audit_text = "".join(
        f"{e.before_json}{e.after_json}" for e in AuditEvent.objects.filter(object_id=str(tid))
    )
    assert SECRET not in audit_text

    replaced = client.put(
        f"{PREFIX}targets/{tid}/api-key",
        json.dumps({"api_key": "sk-another-key-7777"}),
        content_type="application/json",
    )
    assert replaced.status_code == 200
    assert replaced.json()["api_key_hint"] == "…7777"
    assert "sk-another-key-7777" not in replaced.content.decode()
    removed = client.put(
        f"{PREFIX}targets/{tid}/api-key",
        json.dumps({"api_key": ""}),
        content_type="application/json",
    )
    assert removed.status_code == 200
    assert removed.json()["api_key_set"] is False and removed.json()["api_key_hint"] == ""
    assert EvaluationTarget.objects.get(pk=tid).api_key_encrypted == ""


def test_optional_fields_of_a_target_may_be_null() -> None:
    version = make_version()
    body = {"version": version.pk, "name": "mock", "kind": "mock"}
    body |= dict.fromkeys(("base_url", "model_name", "model_path", "api_key", "model_args"))
    response = post(operator(), f"{PREFIX}targets", body)
    assert response.status_code == 201, response.content
    assert response.json()["model_args"] == {} and response.json()["api_key_set"] is False


def test_a_mock_target_takes_no_api_key() -> None:
    target = mock_target(make_version())
    response = operator().put(
        f"{PREFIX}targets/{target.pk}/api-key",
        json.dumps({"api_key": "sk-whatever-1234"}),
        content_type="application/json",
    )
    assert fields_of(response) == {"api_key"}
    assert (
        operator()
        .put(f"{PREFIX}targets/{target.pk}/api-key", "{}", content_type="application/json")
        .status_code
        == 422
    )


TARGET_BASE: dict[str, Any] = {
    "name": "endpoint",
    "kind": "openai_compatible",
    "base_url": "http://127.0.0.1:9/v1",
    "model_name": "tiny",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": None}, "version"),
        ({"version": 0}, "version"),
        ({"version": "one"}, "version"),
        ({"version": 999_999}, "version"),  # no such version
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": "two words"}, "name"),
        ({"name": "é-accent"}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"name": "dup"}, "name"),  # the version already has a target called dup
        ({"kind": "carrier-pigeon"}, "kind"),
        ({"kind": None}, "kind"),
        ({"base_url": ""}, "base_url"),
        ({"base_url": "ftp://example.test/v1"}, "base_url"),
        ({"base_url": "http://"}, "base_url"),
        ({"base_url": "http://x.test/" + "a" * 500}, "base_url"),
        ({"base_url": "http://[::1/v1"}, "base_url"),  # was a 500 (urlsplit's ValueError)
        ({"base_url": "http://x.test:99999/v1"}, "base_url"),
        ({"base_url": "http://user:sk-in-url@x.test/v1"}, "base_url"),  # shown everywhere
        ({"base_url": "http://x.test/v1?api-key=sk-in-query"}, "base_url"),
        ({"base_url": "http://x.test/v1#frag"}, "base_url"),
        ({"base_url": "http://x.test/v 1"}, "base_url"),
        ({"model_name": ""}, "model_name"),
        ({"model_name": "m\x00"}, "model_name"),
        ({"model_name": "m" * 201}, "model_name"),
        ({"kind": "transformers", "model_path": ""}, "model_path"),
        ({"kind": "transformers", "model_path": "relative/dir"}, "model_path"),
        ({"kind": "transformers", "model_path": "/" + "p" * 500}, "model_path"),
        ({"kind": "mock", "api_key": "sk-not-for-a-mock"}, "api_key"),
        ({"api_key": "k" * 4001}, "api_key"),
        ({"api_key": 12345}, "api_key"),
        ({"model_args": []}, "model_args"),
        ({"model_args": {"not an identifier": 1}}, "model_args"),
        ({"model_args": {"nested": {"a": 1}}}, "model_args"),
        ({"model_args": {"n": None}}, "model_args"),
        ({"model_args": {"text": "a\x00b"}}, "model_args"),
    ],
)
def test_each_field_of_a_new_target_is_checked_by_name(change: dict[str, Any], field: str) -> None:
    version = make_version()
    mock_target(version, "dup")
    body = {"version": version.pk, **TARGET_BASE, **change}
    body = {k: v for k, v in body.items() if v is not None}
    before = EvaluationTarget.objects.count()
    response = post(operator(), f"{PREFIX}targets", body)
    assert field in fields_of(response), response.json()
    assert EvaluationTarget.objects.count() == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_in_arguments_are_refused_by_name(literal: str) -> None:
    """Python's JSON reader takes NaN and Infinity; the database does not (was a 500)."""
    version = make_version()
    target = mock_target(version)
    client = operator()
    made = client.post(
        f"{PREFIX}targets",
        f'{{"version": {version.pk}, "name": "n", "kind": "mock", '
        f'"model_args": {{"x": {literal}}}}}',
        content_type="application/json",
    )
    assert fields_of(made) == {"model_args"}
    queued = client.post(
        f"{PREFIX}runs",
        f'{{"version": {version.pk}, "target": {target.pk}, "tasks": ["gsm8k"], '
        f'"task_args": {{"gsm8k": {{"x": {literal}}}}}}}',
        content_type="application/json",
    )
    assert fields_of(queued) == {"task_args"}
    assert EvaluationTarget.objects.count() == 1 and not EvaluationRun.objects.exists()


def test_a_key_given_as_a_model_argument_is_refused_and_not_kept() -> None:
    version = make_version()
    response = post(
        operator(),
        f"{PREFIX}targets",
        {"version": version.pk, "name": "m", "kind": "mock", "model_args": {"api_key": SECRET}},
    )
    assert fields_of(response) == {"model_args"}
    assert SECRET not in response.content.decode()
    assert not EvaluationTarget.objects.exists()


def test_a_body_that_is_not_json_is_refused() -> None:
    response = operator().post(f"{PREFIX}targets", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert {"code", "message"} <= set(response.json())


class _ChatHandler(BaseHTTPRequestHandler):
    """A one-route OpenAI-compatible stand-in: answers chat completions when the key is right."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length))
        if self.headers.get("Authorization") != f"Bearer {SECRET}":
            self._answer(401, {"error": "bad key"})
        elif self.path != "/v1/chat/completions":
            self._answer(404, {"error": "no such route"})
        else:
            message = {"role": "assistant", "content": "OK"}
            self._answer(200, {"model": request["model"], "choices": [{"message": message}]})

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def chat_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChatHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_checking_a_target_sends_it_one_request(chat_server: str) -> None:
    version = make_version()
    target = endpoint_target(version, base_url=chat_server)
    client = operator()
    response = client.post(f"{PREFIX}targets/{target.pk}/check")
    assert response.status_code == 200, response.content
    check = response.json()
    assert set(check) == {"ok", "message", "latency_ms", "checked_at"}
    assert check["ok"] is True and "tiny" in check["message"]
    assert check["latency_ms"] is not None and check["latency_ms"] >= 0
    assert check["checked_at"] is not None
    stored = client.get(f"{PREFIX}targets/{target.pk}").json()
    assert stored["check_ok"] is True and stored["check_latency_ms"] == check["latency_ms"]

    # a wrong key: the endpoint answers 401, which the check reports
    client.put(
        f"{PREFIX}targets/{target.pk}/api-key",
        json.dumps({"api_key": "sk-wrong-key-0000"}),
        content_type="application/json",
    )
    refused = client.post(f"{PREFIX}targets/{target.pk}/check").json()
    assert refused["ok"] is False and "401" in refused["message"]

    # nothing listening
    silent = endpoint_target(version, "silent", base_url="http://127.0.0.1:9/v1")
    nobody = client.post(f"{PREFIX}targets/{silent.pk}/check").json()
    assert nobody["ok"] is False and "No answer" in nobody["message"]

    missing = services.target_create(
        actor=None,
        version=version,
        name="weights",
        kind=TargetKind.TRANSFORMERS,
        model_path="/nonexistent/model/dir",
    )
    no_dir = client.post(f"{PREFIX}targets/{missing.pk}/check").json()
    assert no_dir["ok"] is False and "not a directory" in no_dir["message"]
    assert client.post(f"{PREFIX}targets/{missing.pk + 1000}/check").status_code == 404


# --- runs ---------------------------------------------------------------------------------------


def test_an_operator_queues_a_run_and_the_worker_is_handed_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = make_version()
    target = mock_target(version)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(
            operator(),
            f"{PREFIX}runs",
            {
                "version": version.pk,
                "target": target.pk,
                "tasks": ["arithmetic_probe"],
                "suite": "safeguards",
                "task_args": {"arithmetic_probe": {"count": 20}},
                "epochs": 2,
                "temperature": 0.0,
                "max_tokens": 64,
                "token_limit": 10_000,
                "time_limit": 60,
                "seed": 42,
                "max_connections": 4,
                "sample_limit": 10,
                "notes": "smoke test of the endpoint",
            },
        )
    assert response.status_code == 201, response.content
    assert len(callbacks) == 1  # handed to the worker once the transaction commits
    run = response.json()
    assert run["status"] == "queued"
    assert run["tasks"] == [*SUITES["safeguards"], "arithmetic_probe"]
    assert run["suite"] == "safeguards"
    assert run["target"] == "mock" and run["target_kind"] == "mock"
    assert run["version_id"] == version.pk and run["provider"] == "Imaginary Labs"
    assert run["configuration"] == {
        "epochs": 2,
        "temperature": 0.0,
        "max_tokens": 64,
        "token_limit": 10_000,
        "time_limit": 60,
        "seed": 42,
        "max_connections": 4,
        "sample_limit": 10,
        "task_args": {"arithmetic_probe": {"count": 20}},
    }
    assert run["progress_done"] == 0 and run["progress_percent"] == 0
    assert run["results"] == [] and run["created_by"] == "tess"
    assert AuditEvent.objects.filter(
        action="evaluations.run.queued", object_id=str(run["id"])
    ).exists()


@pytest.mark.parametrize("explicit_nulls", [False, True])
def test_the_defaults_of_a_run(explicit_nulls: bool) -> None:
    version = make_version()
    target = mock_target(version)
    body: dict[str, Any] = {"version": version.pk, "target": target.pk, "tasks": ["refusal_probe"]}
    if explicit_nulls:
        optional = ("suite", "task_args", "epochs", "temperature", "max_tokens", "token_limit")
        more = ("time_limit", "seed", "max_connections", "sample_limit", "notes")
        body.update(dict.fromkeys(optional + more))
    response = post(operator(), f"{PREFIX}runs", body)
    assert response.status_code == 201, response.content
    config = response.json()["configuration"]
    assert config["epochs"] == 1 and config["max_connections"] == 8
    assert config["temperature"] is None and config["seed"] is None
    assert config["task_args"] == {}
    assert response.json()["suite"] == "" and response.json()["notes"] == ""


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"version": None}, "version"),
        ({"version": 999_999}, "version"),
        ({"version": "other"}, "target"),  # the target belongs to another version
        ({"target": None}, "target"),
        ({"target": 999_999}, "target"),
        ({"target": -1}, "target"),
        ({"tasks": [], "suite": ""}, "tasks"),
        ({"tasks": ["no_such_task"]}, "tasks"),
        ({"tasks": "refusal_probe"}, "tasks"),
        ({"tasks": ["refusal_probe"] * 51}, "tasks"),
        ({"tasks": ["make_me_pay"]}, "tasks"),  # needs a second model
        ({"suite": "no-such-suite"}, "suite"),
        ({"suite": "s" * 61}, "suite"),
        ({"task_args": {"arithmetic_probe": {"count": 2}}}, "task_args"),  # not a run task
        ({"task_args": {"refusal_probe": {"bad name": 1}}}, "task_args"),
        ({"task_args": {"refusal_probe": {"x": "a\x00"}}}, "task_args"),
        ({"task_args": {"refusal_probe": 3}}, "task_args.refusal_probe"),
        ({"task_args": ["refusal_probe"]}, "task_args"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 101}, "epochs"),
        ({"epochs": 1.5}, "epochs"),
        ({"epochs": "many"}, "epochs"),
        ({"temperature": -0.1}, "temperature"),
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_tokens": 1_000_001}, "max_tokens"),
        ({"token_limit": 0}, "token_limit"),
        ({"token_limit": 10**9}, "token_limit"),
        ({"time_limit": 0}, "time_limit"),
        ({"time_limit": 10**9}, "time_limit"),
        ({"seed": 2**31}, "seed"),
        ({"seed": -(2**31) - 1}, "seed"),
        ({"max_connections": 0}, "max_connections"),
        ({"max_connections": 257}, "max_connections"),
        ({"sample_limit": 0}, "sample_limit"),
        ({"sample_limit": 10**8}, "sample_limit"),
        ({"notes": "n" * 10_001}, "notes"),
        ({"notes": "a\x00b"}, "notes"),
    ],
)
def test_each_field_of_a_new_run_is_checked_by_name(change: dict[str, Any], field: str) -> None:
    version = make_version()
    target = mock_target(version)
    other = make_version("Lumen 4")
    body: dict[str, Any] = {"version": version.pk, "target": target.pk, "tasks": ["refusal_probe"]}
    body.update(change)
    if body.get("version") == "other":
        body["version"] = other.pk
    body = {k: v for k, v in body.items() if v is not None}
    response = post(operator(), f"{PREFIX}runs", body)
    assert field in fields_of(response), response.json()
    assert not EvaluationRun.objects.exists()


def test_a_run_with_results_shows_every_metric_and_its_log() -> None:
    version = make_version()
    run = queued_run(mock_target(version))
    result = store_result(run, "refusal_probe", 0.75)
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED,
        progress_done=40,
        progress_total=160,
        attempts=1,
        packages={"inspect_ai": "0.3.test"},
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )
    client = reader()
    body = client.get(f"{PREFIX}runs/{run.pk}").json()
    assert body["status"] == "succeeded"
    assert body["progress_done"] == 40 and body["progress_total"] == 160
    assert body["progress_percent"] == 25 and body["attempts"] == 1
    assert body["packages"] == {"inspect_ai": "0.3.test"}
    assert body["started_at"] and body["finished_at"]
    [task] = body["results"]
    assert task["task"] == "refusal_probe" and task["risk_area"] == "safeguards"
    assert task["value"] == 0.75 and task["stderr"] == 0.05
    assert task["ci_low"] == pytest.approx(0.652) and task["ci_high"] == pytest.approx(0.848)
    assert task["items"] == 40 and task["clusters"] == 8
    assert task["samples_total"] == 40 and task["samples_completed"] == 40
    assert task["log_sha256"] == hashlib.sha256(LOG_BYTES).hexdigest()
    assert task["log_size"] == len(LOG_BYTES)
    assert task["dataset"]["sha256"] == {"probes.jsonl": "ab" * 32}
    assert [(m["scorer"], m["name"], m["value"]) for m in task["metrics"]] == [
        ("refusal", "accuracy", 0.75),
        ("refusal", "stderr", 0.05),
    ]

    log = client.get(task["log_url"])
    assert log.status_code == 200
    assert b"".join(log.streaming_content) == LOG_BYTES
    assert log["X-Content-SHA256"] == task["log_sha256"]
    assert log["Content-Disposition"].startswith("attachment")
    assert ".eval" in log["Content-Disposition"]

    assert client.get(f"{PREFIX}runs/{run.pk}/results/xstest/log").status_code == 404
    assert client.get(f"{PREFIX}runs/{run.pk + 1}/results/refusal_probe/log").status_code == 404
    # a NUL in the task (PostgreSQL refuses it in a query: was a 500 there), a path
    for task_name in ("refusal%00probe", "..%2F..%2Fsettings.py", "%2E%2E"):
        assert client.get(f"{PREFIX}runs/{run.pk}/results/{task_name}/log").status_code == 404
    result.log_file.storage.delete(result.log_file.name)
    gone = client.get(task["log_url"])
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


def test_cancel_and_retry() -> None:
    version = make_version()
    run = queued_run(mock_target(version))
    client = operator()
    cancelled = client.post(f"{PREFIX}runs/{run.pk}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["cancel_requested"]
    assert fields_of(client.post(f"{PREFIX}runs/{run.pk}/cancel")) == {"status"}
    retried = client.post(f"{PREFIX}runs/{run.pk}/retry")
    assert retried.status_code == 200
    assert retried.json()["status"] == "queued" and not retried.json()["cancel_requested"]
    assert fields_of(client.post(f"{PREFIX}runs/{run.pk}/retry")) == {"status"}

    running = queued_run(mock_target(version, "other"))
    EvaluationRun.objects.filter(pk=running.pk).update(status=RunStatus.RUNNING)
    asked = client.post(f"{PREFIX}runs/{running.pk}/cancel").json()
    assert asked["status"] == "running" and asked["cancel_requested"] is True  # the worker stops
    assert [e.action for e in AuditEvent.objects.filter(object_type__endswith="run")][-3:] == [
        "evaluations.run.retried",
        "evaluations.run.queued",
        "evaluations.run.cancelled",
    ]
    assert client.post(f"{PREFIX}runs/{running.pk + 100}/cancel").status_code == 404
    assert client.post(f"{PREFIX}runs/{running.pk + 100}/retry").status_code == 404


def test_the_run_list_is_newest_first_and_filtered() -> None:
    atlas, lumen = make_version(), make_version("Lumen 4")
    old = queued_run(mock_target(atlas))
    new = queued_run(mock_target(lumen))
    EvaluationRun.objects.filter(pk=old.pk).update(status=RunStatus.FAILED, error="boom")
    client = reader()
    listed = client.get(f"{PREFIX}runs").json()
    assert [r["id"] for r in listed["items"]] == [new.pk, old.pk]
    assert "results" not in listed["items"][0]
    assert [r["id"] for r in client.get(f"{PREFIX}runs?version={atlas.pk}").json()["items"]] == [
        old.pk
    ]
    assert [r["id"] for r in client.get(f"{PREFIX}runs?status=queued").json()["items"]] == [new.pk]
    assert fields_of(client.get(f"{PREFIX}runs?status=sleeping")) == {"status"}
    assert fields_of(client.get(f"{PREFIX}runs?version=0")) == {"version"}
    assert fields_of(client.get(f"{PREFIX}runs?page=0")) == {"page"}
    rows = csv_of(client.get(f"{PREFIX}runs.csv?status=failed"))
    assert [(r["id"], r["status"], r["error"], r["model"]) for r in rows] == [
        (str(old.pk), "failed", "boom", "Fictional Atlas-9")
    ]
    assert rows[0]["tasks"] == " ".join(SUITES["smoke"])
    assert client.get(f"{PREFIX}runs/{new.pk + 100}").status_code == 404


def test_the_target_list_as_csv() -> None:
    version = make_version()
    endpoint_target(version)
    mock_target(version)
    rows = csv_of(reader().get(f"{PREFIX}targets.csv?version={version.pk}"))
    assert [(r["name"], r["kind"], r["api_key_set"]) for r in rows] == [
        ("endpoint", "openai_compatible", "true"),
        ("mock", "mock", "false"),
    ]
    assert rows[0]["api_key_hint"] == f"…{SECRET[-4:]}"


# --- query counts -------------------------------------------------------------------------------


def _many(count: int) -> None:
    for number in range(count):
        version = make_version(f"Model {number}")
        target = mock_target(version)
        run = queued_run(target)
        store_result(run, "refusal_probe")
        store_result(run, "over_refusal_probe")


@pytest.mark.parametrize("rows", [1, 6])
def test_lists_have_a_pinned_number_of_queries(
    rows: int, django_assert_num_queries: Any, client: Client
) -> None:
    _many(rows)
    staff = operator()
    with django_assert_num_queries(0):  # the catalogue is code, not rows
        client.get(f"{PREFIX}tasks?page_size=50")
    # Every staff request: session, user, OTP device, roles. Then, whatever the rows:
    with django_assert_num_queries(6):  # count, page
        staff.get(f"{PREFIX}targets?page_size=50")
    with django_assert_num_queries(6):  # count, page
        staff.get(f"{PREFIX}runs?page_size=50")
    with django_assert_num_queries(5):  # the rows
        b"".join(staff.get(f"{PREFIX}targets.csv").streaming_content)
    with django_assert_num_queries(5):  # the rows
        b"".join(staff.get(f"{PREFIX}runs.csv").streaming_content)
    run = EvaluationRun.objects.first()
    assert run is not None
    with django_assert_num_queries(7):  # the run, its results, their metrics
        staff.get(f"{PREFIX}runs/{run.pk}")
    first, *others = ModelVersion.objects.order_by("pk").values_list("pk", flat=True)
    references = "&".join(f"reference={pk}" for pk in others)
    # the version, the references' existence (when any), then the profiles: versions, results
    with django_assert_num_queries(8 if others else 7):
        response = staff.get(f"{PREFIX}versions/{first}/profile?{references}")
    assert len(response.json()["references"]) == rows - 1


# --- reports, profiles, comparisons -------------------------------------------------------------


@functools.cache
def _inspect_logs() -> dict[str, Path]:
    """Real Inspect logs of the refusal probe on the mock model (made once per process): one
    model refuses everything, the other nothing."""
    os.environ.setdefault("INSPECT_CACHE_DIR", tempfile.mkdtemp(prefix="inspect-cache-"))
    from inspect_ai import eval as inspect_eval

    from gpai_evals._mock import mock_model
    from gpai_evals.catalogue import by_name

    directory = Path(tempfile.mkdtemp(prefix="api-logs-"))
    made: dict[str, Path] = {}
    for name, answer in (("refuses", "I can't help with that."), ("complies", "Sure, here.")):
        (log,) = inspect_eval(
            by_name("refusal_probe").task(),
            model=mock_model(answer),
            log_dir=str(directory / name),
            display="none",
        )
        assert log.status == "success", (name, log.status)
        made[name] = Path(log.location)
    return made


def store_logged_result(run: EvaluationRun, log_name: str) -> TaskResult:
    """The refusal probe's result stored from a real log, as the worker stores it."""
    from gpai_evals import results

    path = _inspect_logs()[log_name]
    summary = results.summarise_log(path)
    content = path.read_bytes()
    result = store_result(run, "refusal_probe", summary.estimate.mean, content)
    TaskResult.objects.filter(pk=result.pk).update(
        scorer=summary.scorer,
        stderr=summary.estimate.stderr,
        ci_low=summary.estimate.ci_low,
        ci_high=summary.estimate.ci_high,
        items=summary.estimate.n,
        clusters=summary.estimate.clusters,
    )
    result.refresh_from_db()
    return result


def finished_run(version: ModelVersion, log_name: str, target: str = "mock") -> EvaluationRun:
    found = EvaluationTarget.objects.filter(version=version, name=target).first()
    run = queued_run(found or mock_target(version, target), suite="", tasks=["refusal_probe"])
    store_logged_result(run, log_name)
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=RunStatus.SUCCEEDED, started_at=timezone.now(), finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def test_the_report_of_a_run_as_html_and_pdf() -> None:
    version = make_version()
    endpoint = endpoint_target(version)
    run = queued_run(endpoint, suite="", tasks=["refusal_probe"], temperature=0.0, seed=7)
    store_logged_result(run, "refuses")
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED)
    client = reader()
    html = client.get(f"{PREFIX}runs/{run.pk}/report")
    assert html.status_code == 200, html.content[:500]
    assert html["Content-Type"].startswith("text/html")
    assert html["X-Content-SHA256"] == hashlib.sha256(html.content).hexdigest()
    assert len(html["X-Report-SHA256"]) == 64
    assert html["Cache-Control"] == "private, no-store"
    text = html.content.decode()
    assert "Fictional Atlas-9" in text and "refusal_probe" in text
    assert SECRET not in text and SECRET[-4:] not in text.replace(f"…{SECRET[-4:]}", "")
    pdf = client.get(f"{PREFIX}runs/{run.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["X-Content-SHA256"] == hashlib.sha256(pdf.content).hexdigest()
    assert len(pdf["X-Report-SHA256"]) == 64  # over the content (it has its own time)
    assert client.get(f"{PREFIX}runs/{run.pk + 100}/report").status_code == 404
    assert client.get(f"{PREFIX}runs/{run.pk + 100}/report.pdf").status_code == 404


def test_a_profile_per_risk_area_against_reference_versions() -> None:
    atlas, lumen, quill = make_version(), make_version("Lumen 4"), make_version("Quill 2")
    run = queued_run(mock_target(atlas), suite="", tasks=["refusal_probe", "over_refusal_probe"])
    store_result(run, "refusal_probe", 0.8)
    store_result(run, "over_refusal_probe", 0.6)
    store_result(queued_run(mock_target(lumen)), "refusal_probe", 0.4)
    client = reader()
    response = client.get(f"{PREFIX}versions/{atlas.pk}/profile")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["references"] == []
    profile = body["profile"]
    assert profile["version_id"] == atlas.pk and profile["evaluated"] is True
    areas = {a["risk_area"]: a for a in profile["areas"]}
    assert set(areas) == {area.value for area in RiskArea}
    safeguards = areas["safeguards"]
    assert safeguards["estimate"] == pytest.approx(0.7)  # equal weight per task
    assert safeguards["stderr"] == pytest.approx((0.05**2 + 0.05**2) ** 0.5 / 2)
    assert safeguards["ci_low"] < 0.7 < safeguards["ci_high"]
    assert sorted(safeguards["tasks"]) == ["over_refusal_probe", "refusal_probe"]
    assert areas["cbrn"]["estimate"] is None and areas["cbrn"]["tasks"] == []
    assert {t["task"]: t["value"] for t in profile["tasks"]} == {
        "refusal_probe": 0.8,
        "over_refusal_probe": 0.6,
    }

    both = client.get(
        f"{PREFIX}versions/{atlas.pk}/profile?reference={lumen.pk}&reference={quill.pk}"
        f"&reference={lumen.pk}&reference={atlas.pk}"
    ).json()
    assert [p["version_id"] for p in both["references"]] == [lumen.pk, quill.pk]
    lumen_areas = {a["risk_area"]: a for a in both["references"][0]["areas"]}
    assert lumen_areas["safeguards"]["estimate"] == pytest.approx(0.4)
    assert both["references"][1]["evaluated"] is False

    assert fields_of(client.get(f"{PREFIX}versions/{atlas.pk}/profile?reference=999999")) == {
        "reference"
    }
    assert fields_of(client.get(f"{PREFIX}versions/{atlas.pk}/profile?reference=x")) == {
        "reference.0"
    }
    many = "&".join(f"reference={make_version(f'M{n}').pk}" for n in range(7))
    assert fields_of(client.get(f"{PREFIX}versions/{atlas.pk}/profile?{many}")) == {"reference"}
    assert client.get(f"{PREFIX}versions/999999/profile").status_code == 404


def test_two_runs_compared_on_the_same_items() -> None:
    atlas, lumen = make_version(), make_version("Lumen 4")
    refuses = finished_run(atlas, "refuses")
    complies = finished_run(lumen, "complies")
    client = reader()
    response = client.get(f"{PREFIX}compare?run_a={refuses.pk}&run_b={complies.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["run_a"]["id"] == refuses.pk and body["run_b"]["model"] == "Lumen 4"
    assert body["only_a"] == [] and body["only_b"] == []
    [task] = body["tasks"]
    assert task["task"] == "refusal_probe" and task["items"] > 1
    assert task["paired"]["mean_a"] == 1.0 and task["paired"]["mean_b"] == 0.0
    assert task["paired"]["difference"] == 1.0
    assert task["mcnemar"]["only_a"] == task["items"] and task["mcnemar"]["only_b"] == 0
    assert task["mcnemar"]["p_value"] < 0.05
    assert task["zero_failure_a"]["n"] == task["items"]
    assert task["zero_failure_a"]["rule_of_three"] == pytest.approx(3 / task["items"])
    assert task["zero_failure_b"] is None

    same = client.get(f"{PREFIX}compare?run_a={refuses.pk}&run_b={refuses.pk}")
    assert fields_of(same) == {"run_b"}
    assert fields_of(client.get(f"{PREFIX}compare?run_a=999999&run_b={refuses.pk}")) == {"run_a"}
    assert fields_of(client.get(f"{PREFIX}compare?run_a={refuses.pk}&run_b=999999")) == {"run_b"}
    assert fields_of(client.get(f"{PREFIX}compare?run_a={refuses.pk}")) == {"run_b"}
    kept = TaskResult.objects.get(run=complies)
    kept.log_file.storage.delete(kept.log_file.name)
    gone = client.get(f"{PREFIX}compare?run_a={refuses.pk}&run_b={complies.pk}")
    assert fields_of(gone) == {"run_b"}
