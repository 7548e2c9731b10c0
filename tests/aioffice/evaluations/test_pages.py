"""The evaluation pages: staff read, operators change, everyone else is refused; targets with
their errors next to the field and keys never shown; queueing a run with bad input named on
its field; the run's live status, results, kept logs and sample transcripts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    make_user,
    principal,
    signed_in_client,
)
from aioffice.evaluations import report_views, urls
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult
from aioffice.registry.models import ModelVersion
from gpai_evals.catalogue import CATALOGUE, SUITES
from gpai_evals.stub_server import serve

from ._page_factories import (
    PROBE_TASK,
    make_run,
    make_target,
    make_version,
    probe_log,
    probe_sample_ids,
    store_result,
)

pytestmark = pytest.mark.django_db

READERS = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
OPERATORS = {Role.TECHNICAL_OFFICER, Role.HEAD_OF_UNIT, Role.ADMINISTRATOR}
SECRET = "sk-page-test-never-shown-Q7ZX"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return probe_log(tmp_path_factory)


@dataclass
class World:
    version: ModelVersion
    other: ModelVersion
    mock: EvaluationTarget
    endpoint: EvaluationTarget
    foreign: EvaluationTarget
    queued: EvaluationRun
    failed: EvaluationRun
    done: EvaluationRun
    result: TaskResult
    sample_id: str


@pytest.fixture
def world(log: Path) -> World:
    version = make_version()
    other = make_version("2.0", model_name="Beta-2", provider="Beta Labs")
    mock = make_target(version, model_args={"answer": "ANSWER: 168"})
    endpoint = make_target(
        version,
        "endpoint",
        "openai_compatible",
        base_url="http://127.0.0.1:9/v1",
        model_name="served",
        api_key=SECRET,
    )
    foreign = make_target(other, "elsewhere")
    queued = make_run(mock)
    failed = make_run(mock, status="failed", error="Inspect stopped: the target went away.")
    done = make_run(mock, status="succeeded", done=3, total=3)
    result = store_result(done, log)
    return World(
        version,
        other,
        mock,
        endpoint,
        foreign,
        queued,
        failed,
        done,
        result,
        probe_sample_ids(log)[0],
    )


@pytest.fixture
def officer() -> Client:
    return signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))


@pytest.fixture
def reader() -> Client:
    return signed_in_client(make_user(Role.LEGAL_OFFICER, "leo"))


def _routes(w: World) -> dict[str, tuple[str, str, dict[str, Any], bool]]:
    """One request per page of the app: (method, url, data, operators only)."""
    transcript = reverse(
        "evaluations:sample_transcript", args=[w.done.pk, PROBE_TASK, w.sample_id, 1]
    )
    return {
        "catalogue": ("GET", reverse("evaluations:catalogue"), {}, False),
        "catalogue_csv": ("GET", reverse("evaluations:catalogue_csv"), {}, False),
        "targets": ("GET", reverse("evaluations:targets", args=[w.version.pk]), {}, False),
        "run_list": ("GET", reverse("evaluations:run_list"), {}, False),
        "run_list_csv": ("GET", reverse("evaluations:run_list_csv"), {}, False),
        "run_detail": ("GET", reverse("evaluations:run_detail", args=[w.done.pk]), {}, False),
        "result_log": ("GET", reverse("evaluations:result_log", args=[w.result.pk]), {}, False),
        "sample_transcript": ("GET", transcript, {}, False),
        "run_new": ("GET", f"{reverse('evaluations:run_new')}?version={w.version.pk}", {}, True),
        "targets POST": (
            "POST",
            reverse("evaluations:targets", args=[w.version.pk]),
            {"name": "added", "kind": "mock"},
            True,
        ),
        "target_check": (
            "POST",
            reverse("evaluations:target_check", args=[w.mock.pk]),
            {},
            True,
        ),
        "target_key": (
            "POST",
            reverse("evaluations:target_key", args=[w.endpoint.pk]),
            {f"key-{w.endpoint.pk}-action": "remove"},
            True,
        ),
        "run_new POST": (
            "POST",
            f"{reverse('evaluations:run_new')}?version={w.version.pk}",
            {"target": w.mock.pk, "tasks": [PROBE_TASK], "epochs": 1, "max_connections": 2},
            True,
        ),
        "run_cancel": ("POST", reverse("evaluations:run_cancel", args=[w.queued.pk]), {}, True),
        "run_retry": ("POST", reverse("evaluations:run_retry", args=[w.failed.pk]), {}, True),
    }


def test_the_matrix_covers_every_page_of_the_app(world: World) -> None:
    ours = {p.name for p in urls.urlpatterns} - {p.name for p in report_views.urlpatterns}
    tested = {name.removesuffix(" POST") for name in _routes(world)}
    assert tested == ours


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str, world: World) -> None:
    who = principal(name)
    for route, (method, url, data, operators_only) in _routes(world).items():
        response = who.client.get(url) if method == "GET" else who.client.post(url, data)
        if name == ANONYMOUS:
            expected = {302}
        elif name not in READERS or (operators_only and name not in OPERATORS):
            expected = {403}
        elif method == "POST":
            expected = {302}  # done, back to a page
        else:
            expected = {200}
        assert response.status_code in expected, (route, name, response.status_code)
        if name == ANONYMOUS:
            assert "/accounts/login/" in response["Location"], route
        if response.status_code == 200 and method == "GET" and "html" in response["Content-Type"]:
            assert SECRET not in response.text, route
    if name in OPERATORS:
        assert EvaluationTarget.objects.filter(name="added").exists()
        assert EvaluationRun.objects.filter(created_by=who.user).count() == 1
        world.queued.refresh_from_db()
        world.failed.refresh_from_db()
        assert world.queued.status == "cancelled" and world.failed.status == "queued"
    else:
        assert not EvaluationTarget.objects.filter(name="added").exists()
        world.queued.refresh_from_db()
        assert world.queued.status == "queued"


def test_staff_without_their_second_factor_are_sent_to_it(world: World) -> None:
    client = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "otto"), second_factor=False)
    response = client.get(reverse("evaluations:run_list"))
    assert response.status_code == 302 and "second-factor" in response["Location"]


def test_objects_that_do_not_exist_are_404(officer: Client, world: World) -> None:
    huge = str(2**63)  # one past the database's largest id
    for url in (
        reverse("evaluations:targets", args=[999999]),
        f"/office/evaluations/versions/{huge}/targets/",
        f"/office/evaluations/versions/{2**70}/targets/",
        reverse("evaluations:run_detail", args=[999999]),
        f"/office/evaluations/runs/{huge}/",
        reverse("evaluations:result_log", args=[999999]),
        reverse("evaluations:sample_transcript", args=[999999, PROBE_TASK, "x", 1]),
        f"/office/evaluations/runs/{huge}/tasks/{PROBE_TASK}/samples/x/1/",
        f"/office/evaluations/runs/{world.done.pk}/tasks/{PROBE_TASK}/samples/x/{huge}/",
    ):
        assert officer.get(url).status_code == 404, url
    for url in (
        reverse("evaluations:target_check", args=[999999]),
        reverse("evaluations:target_key", args=[999999]),
        reverse("evaluations:run_cancel", args=[999999]),
        f"/office/evaluations/runs/{huge}/retry/",
    ):
        assert officer.post(url).status_code == 404, url


# --- the catalogue -------------------------------------------------------------------------


def test_the_catalogue_lists_every_task_and_filters_by_risk_area(reader: Client) -> None:
    page = reader.get(reverse("evaluations:catalogue"))
    for entry in CATALOGUE:
        assert f'data-task="{entry.name}"' in page.text
        assert entry.licence in page.text.replace("&#x27;", "'")
    assert 'data-offline="ready"' in page.text and 'data-offline="no"' in page.text
    for suite in SUITES:
        assert f'data-suite="{suite}"' in page.text
    cbrn = reader.get(reverse("evaluations:catalogue"), {"risk_area": "cbrn"})
    assert 'data-task="wmdp_bio"' in cbrn.text and 'data-task="arithmetic_probe"' not in cbrn.text
    assert "?risk_area=cbrn" in cbrn.text  # the CSV link keeps the filter
    unknown = reader.get(reverse("evaluations:catalogue"), {"risk_area": "astrology"})
    assert unknown.status_code == 200 and 'id="id_risk_area-error"' in unknown.text
    exported = reader.get(reverse("evaluations:catalogue_csv"), {"risk_area": "safeguards"})
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert {row["risk_area"] for row in rows} == {"safeguards"}
    assert {row["task"] for row in rows} == {
        e.name for e in CATALOGUE if e.risk_area == "safeguards"
    }
    refusal = next(row for row in rows if row["task"] == "refusal_probe")
    assert refusal["offline"] == "ready" and "smoke" in refusal["suites"].split()


# --- targets -----------------------------------------------------------------------------


def _targets_url(version: ModelVersion) -> str:
    return reverse("evaluations:targets", args=[version.pk])


def test_a_target_is_added_with_errors_next_to_its_fields(officer: Client, world: World) -> None:
    url = _targets_url(world.version)
    cases = [
        ({"name": "ep", "kind": "openai_compatible", "model_name": "m"}, "base_url"),
        ({"name": "ep", "kind": "vllm", "base_url": "ftp://x", "model_name": "m"}, "base_url"),
        ({"name": "ep", "kind": "vllm", "base_url": "http://h/v1"}, "model_name"),
        ({"name": "tf", "kind": "transformers", "model_path": "relative/dir"}, "model_path"),
        ({"name": "mock", "kind": "mock"}, "name"),  # taken
        ({"name": "bad name!", "kind": "mock"}, "name"),
        ({"name": "x", "kind": "carrier-pigeon"}, "kind"),
        ({"name": "m2", "kind": "mock", "api_key": SECRET}, "api_key"),
        (
            {"name": "tf", "kind": "transformers", "model_path": "/m", "mock_answer": "A"},
            "mock_answer",
        ),
        ({"kind": "mock"}, "name"),
    ]
    for data, field in cases:
        response = officer.post(url, data)
        assert response.status_code == 200, data
        assert f'id="id_{field}-error"' in response.text, (data, field)
        assert SECRET not in response.text  # a refused key is not echoed back either
    assert EvaluationTarget.objects.count() == 3
    added = officer.post(
        url,
        {
            "name": "Served",
            "kind": "openai_compatible",
            "base_url": "https://models.example/v1/",
            "model_name": "big-model",
            "api_key": SECRET,
        },
    )
    target = EvaluationTarget.objects.get(name="served")
    assert added.status_code == 302 and added["Location"].endswith(f"#target-{target.pk}")
    page = officer.get(added["Location"])
    assert "Target served added." in page.text
    assert f'id="target-{target.pk}"' in page.text and "https://models.example/v1" in page.text
    assert "Set (ends …Q7ZX)" in page.text
    assert SECRET not in page.text and SECRET not in target.api_key_encrypted
    mock = officer.post(url, {"name": "fixed", "kind": "mock", "mock_answer": "ANSWER: B"})
    assert mock.status_code == 302
    assert EvaluationTarget.objects.get(name="fixed").model_args == {"answer": "ANSWER: B"}


def test_staff_who_do_not_operate_see_targets_without_forms(reader: Client, world: World) -> None:
    page = reader.get(_targets_url(world.version))
    assert 'data-target="mock"' in page.text and 'data-target="endpoint"' in page.text
    assert 'data-target="elsewhere"' not in page.text  # another version's
    assert 'data-testid="target-form"' not in page.text
    assert "target_check" not in page.text and "/check/" not in page.text
    assert f'data-run="{world.done.pk}"' in page.text


def test_checking_a_target_shows_the_answer_and_its_latency(officer: Client, world: World) -> None:
    check = reverse("evaluations:target_check", args=[world.mock.pk])
    response = officer.post(check, follow=True)
    assert "mock answered in" in response.text
    assert 'data-check="ok"' in response.text
    with serve(answer="OK", api_key="sk-stub-key-123456") as stub:
        served = make_target(
            world.version,
            "stub",
            "openai_compatible",
            base_url=stub.base_url,
            model_name="stub-model",
            api_key="sk-stub-key-123456",
        )
        ok = officer.post(reverse("evaluations:target_check", args=[served.pk]), follow=True)
        assert stub.total == 1 and stub.unauthorised == 0
    assert "stub answered in" in ok.text
    served.refresh_from_db()
    assert served.check_ok and served.check_latency_ms is not None
    assert f"{served.check_latency_ms} ms" in ok.text
    failed = officer.post(
        reverse("evaluations:target_check", args=[world.endpoint.pk]), follow=True
    )
    assert failed.status_code == 200
    assert "endpoint failed the check: No answer from http://127.0.0.1:9/v1" in failed.text
    assert 'data-check="failed"' in failed.text
    assert officer.get(check).status_code == 405


def test_an_api_key_is_replaced_and_removed_never_shown(officer: Client, world: World) -> None:
    url = reverse("evaluations:target_key", args=[world.endpoint.pk])
    prefix = f"key-{world.endpoint.pk}"
    empty = officer.post(url, {f"{prefix}-action": "set", f"{prefix}-api_key": ""})
    assert empty.status_code == 200
    assert f'id="id_{prefix}-api_key-error"' in empty.text
    new = "sk-replaced-secret-key-ABCD"
    replaced = officer.post(url, {f"{prefix}-action": "set", f"{prefix}-api_key": new}, follow=True)
    assert "Set (ends …ABCD)" in replaced.text and new not in replaced.text
    world.endpoint.refresh_from_db()
    assert world.endpoint.api_key_hint == "…ABCD"
    removed = officer.post(url, {f"{prefix}-action": "remove"}, follow=True)
    assert "The API key of endpoint is removed." in removed.text
    world.endpoint.refresh_from_db()
    assert world.endpoint.api_key_encrypted == "" and world.endpoint.api_key_hint == ""
    nonsense = officer.post(url, {f"{prefix}-action": "shred"})
    assert nonsense.status_code == 200  # named, not a 500
    mock = officer.post(
        reverse("evaluations:target_key", args=[world.mock.pk]),
        {f"key-{world.mock.pk}-action": "set", f"key-{world.mock.pk}-api_key": "x" * 20},
        follow=True,
    )
    assert "Only endpoint targets take an API key." in mock.text


# --- queueing a run ----------------------------------------------------------------------


def _new_url(version: Any) -> str:
    return f"{reverse('evaluations:run_new')}?version={version}"


def test_the_run_form_offers_the_versions_targets_and_the_catalogue(
    officer: Client, world: World
) -> None:
    page = officer.get(_new_url(world.version.pk) + f"&target={world.mock.pk}")
    assert page.status_code == 200
    assert f'<option value="{world.mock.pk}" selected>' in page.text
    assert f'value="{world.endpoint.pk}"' in page.text
    assert f'value="{world.foreign.pk}"' not in page.text
    for entry in CATALOGUE:
        assert f'value="{entry.name}"' in page.text
    assert "arithmetic_probe — General capability — Runs offline" in page.text
    assert 'class="aio-checkbox"' in page.text and "ecl-radio__input" not in page.text
    for suite in SUITES:
        assert f'<option value="{suite}"' in page.text
    for bad in ("", "abc", "0", "-3", "999999", str(2**70)):
        assert officer.get(_new_url(bad)).status_code == 404, bad
    # a target to preselect that int() refuses (were 500s): no preselection
    for odd in ("%C2%B2", "9" * 5000):
        assert officer.get(_new_url(world.version.pk) + f"&target={odd}").status_code == 200
    assert officer.get(reverse("evaluations:run_new")).status_code == 404
    lone = make_version("3.0", model_name="Gamma")
    empty = officer.get(_new_url(lone.pk))
    assert 'data-testid="run-form"' not in empty.text and "add one first" in empty.text


def test_bad_input_to_the_run_form_is_named_on_its_field(officer: Client, world: World) -> None:
    url = _new_url(world.version.pk)
    base = {"target": world.mock.pk, "tasks": [PROBE_TASK], "epochs": "1", "max_connections": "8"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"epochs": "abc"}, "epochs"),
        ({"epochs": "0"}, "epochs"),
        ({"epochs": ""}, "epochs"),
        ({"tasks": ["no_such_task"]}, "tasks"),
        ({"tasks": []}, "tasks"),
        ({"tasks": ["make_me_pay"]}, "tasks"),  # needs a second model
        ({"temperature": "5"}, "temperature"),
        ({"temperature": "warm"}, "temperature"),
        ({"target": world.foreign.pk}, "target"),  # another version's target
        ({"target": "999999"}, "target"),
        ({"target": "x"}, "target"),
        ({"suite": "everything"}, "suite"),
        ({"max_connections": "1000"}, "max_connections"),
        ({"time_limit": "1e9"}, "time_limit"),
        ({"sample_limit": "-1"}, "sample_limit"),
        ({"seed": str(2**40)}, "seed"),
        ({"max_tokens": "0"}, "max_tokens"),
        ({"token_limit": "1.5"}, "token_limit"),
        ({"notes": "nul\x00byte"}, "notes"),
        # a whole number too large for a float (was a 500: OverflowError in the service)
        ({"epochs": "9" * 400}, "epochs"),
        ({"seed": "-" + "9" * 400}, "seed"),
        ({"sample_limit": "9" * 400}, "sample_limit"),
    ]
    for change, field in cases:
        response = officer.post(url, {**base, **change})
        assert response.status_code == 200, change
        assert f'id="id_{field}-error"' in response.text, (change, field)
    assert EvaluationRun.objects.count() == 3  # the world's, nothing new


def test_a_run_is_queued_and_its_page_follows_it(officer: Client, world: World) -> None:
    response = officer.post(
        _new_url(world.version.pk),
        {
            "target": world.mock.pk,
            "suite": "smoke",
            "tasks": [PROBE_TASK, "refusal_probe"],
            "epochs": "2",
            "temperature": "0.5",
            "max_tokens": "64",
            "token_limit": "5000",
            "time_limit": "60",
            "seed": "7",
            "max_connections": "4",
            "sample_limit": "3",
            "notes": "Smoke run before the hearing.",
        },
    )
    run = EvaluationRun.objects.get(notes="Smoke run before the hearing.")
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:run_detail", args=[run.pk])
    assert run.tasks == list(SUITES["smoke"]) and run.suite == "smoke"
    assert (run.epochs, run.temperature, run.max_tokens, run.token_limit) == (2, 0.5, 64, 5000)
    assert (run.time_limit, run.seed, run.max_connections, run.sample_limit) == (60, 7, 4, 3)
    page = officer.get(response["Location"])
    assert f"Run #{run.pk} is queued." in page.text
    assert 'data-testid="run-status" data-status="queued"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert 'data-testid="cancel-run"' in page.text
    assert "Smoke run before the hearing." in page.text
    assert 'data-testid="report-link"' not in page.text  # nothing to report yet


# --- runs list ---------------------------------------------------------------------------


def test_the_runs_list_filters_paginates_and_exports(reader: Client, world: World) -> None:
    page = reader.get(reverse("evaluations:run_list"))
    text = page.text
    order = [text.index(f'data-run="{run.pk}"') for run in (world.done, world.failed, world.queued)]
    assert order == sorted(order)  # newest first
    assert "<progress" in text and 'data-done="3" data-total="3"' in text
    failed = reader.get(reverse("evaluations:run_list"), {"status": "failed"})
    assert f'data-run="{world.failed.pk}"' in failed.text
    assert f'data-run="{world.queued.pk}"' not in failed.text
    other_run = make_run(world.foreign)
    mine = reader.get(reverse("evaluations:run_list"), {"version": world.other.pk})
    assert (
        f'data-run="{other_run.pk}"' in mine.text and f'data-run="{world.done.pk}"' not in mine.text
    )
    assert 'data-testid="version-targets"' in mine.text
    fragment = reader.get(
        reverse("evaluations:run_list"), {"status": "failed"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in fragment.text and 'id="run-results"' in fragment.text
    for junk in (
        {"status": "exploded"},
        {"version": "abc"},
        {"version": str(2**70)},
        {"page": "x"},
    ):
        assert reader.get(reverse("evaluations:run_list"), junk).status_code == 200, junk
    for n in range(26):
        make_run(world.mock, notes=f"bulk {n}")
    first = reader.get(reverse("evaluations:run_list"))
    assert first.context["page"].paginator.num_pages == 2 and "Page 1 of 2" in first.text
    exported = reader.get(reverse("evaluations:run_list_csv"), {"status": "succeeded"})
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [row["run"] for row in rows] == [str(world.done.pk)]
    assert rows[0]["model"] == "Alpha-1" and rows[0]["tasks"] == PROBE_TASK
    assert rows[0]["samples_done"] == "3" and rows[0]["target"] == "mock"
    everything = reader.get(reverse("evaluations:run_list_csv"))
    assert len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode())))) == 31


# --- the run's page ----------------------------------------------------------------------


def test_a_finished_run_shows_its_results_and_stops_polling(reader: Client, world: World) -> None:
    url = reverse("evaluations:run_detail", args=[world.done.pk])
    page = reader.get(url)
    assert 'data-status="succeeded"' in page.text
    assert "hx-trigger" not in page.text.split('id="run-live"')[1].split(">")[0]
    assert 'hx-trigger="every 2s"' not in page.text
    assert 'data-result="arithmetic_probe"' in page.text
    assert "0.333 ± 0.333" in page.text and "[0.000, 0.986]" in page.text
    assert 'data-metric="match/accuracy"' in page.text and 'data-metric="match/stderr"' in page.text
    assert world.result.log_sha256 in page.text
    assert 'data-testid="cancel-run"' not in page.text  # finished
    assert 'data-testid="retry-run"' not in page.text  # succeeded, and not an operator
    try:
        report = reverse("evaluations:run_report", args=[world.done.pk])
    except NoReverseMatch:
        assert 'data-testid="report-link"' not in page.text
    else:
        assert f'href="{report}"' in page.text
        pdf = reverse("evaluations:run_report_pdf", args=[world.done.pk])
        assert f'href="{pdf}"' in page.text
    fragment = reader.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="run-live"')
    assert "Configuration" not in fragment.text


def test_a_running_run_is_polled_every_two_seconds(reader: Client, world: World) -> None:
    EvaluationRun.objects.filter(pk=world.queued.pk).update(
        status="running", progress_done=5, progress_total=20
    )
    url = reverse("evaluations:run_detail", args=[world.queued.pk])
    fragment = reader.get(url, HTTP_HX_REQUEST="true")
    assert f'hx-get="{url}" hx-trigger="every 2s"' in fragment.text
    assert (
        '<progress max="20" value="5"' in fragment.text and "5 of 20 samples (25%)" in fragment.text
    )
    EvaluationRun.objects.filter(pk=world.queued.pk).update(status="succeeded", progress_done=20)
    last = reader.get(url, HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in last.text and "20 of 20 samples (100%)" in last.text


def test_a_failed_run_shows_its_error_and_is_retried(officer: Client, world: World) -> None:
    url = reverse("evaluations:run_detail", args=[world.failed.pk])
    page = officer.get(url)
    assert "Inspect stopped: the target went away." in page.text
    assert 'data-testid="retry-run"' in page.text and 'data-testid="cancel-run"' not in page.text
    retried = officer.post(reverse("evaluations:run_retry", args=[world.failed.pk]), follow=True)
    assert "The run is queued again" in retried.text
    world.failed.refresh_from_db()
    assert world.failed.status == "queued" and world.failed.error == ""
    again = officer.post(reverse("evaluations:run_retry", args=[world.failed.pk]), follow=True)
    assert (
        again.status_code == 200 and "Only a failed or cancelled run can be retried." in again.text
    )


def test_a_queued_run_is_cancelled_once(officer: Client, world: World) -> None:
    cancel = reverse("evaluations:run_cancel", args=[world.queued.pk])
    done = officer.post(cancel, follow=True)
    assert 'data-testid="run-status" data-status="cancelled"' in done.text
    assert 'data-testid="retry-run"' in done.text
    again = officer.post(cancel, follow=True)
    assert again.status_code == 200 and "The run has already cancelled." in again.text
    assert officer.get(cancel).status_code == 405


def test_the_kept_log_downloads_with_its_sha256(reader: Client, world: World, log: Path) -> None:
    response = reader.get(reverse("evaluations:result_log", args=[world.result.pk]))
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == world.result.log_sha256
    assert b"".join(response.streaming_content) == log.read_bytes()
    assert f"run-{world.done.pk}-arithmetic_probe.eval" in response["Content-Disposition"]
    Path(world.result.log_file.path).unlink()
    gone = reader.get(reverse("evaluations:result_log", args=[world.result.pk]))
    assert gone.status_code == 404


# --- sample transcripts ------------------------------------------------------------------


def test_a_sample_transcript_is_read_from_the_kept_log(reader: Client, world: World) -> None:
    url = reverse(
        "evaluations:sample_transcript", args=[world.done.pk, PROBE_TASK, world.sample_id, 1]
    )
    page = reader.get(url)
    assert page.status_code == 200
    assert "A crate holds 24 bottles" in page.text  # the input
    assert 'data-role="user"' in page.text and 'data-role="assistant"' in page.text
    assert "ANSWER: 168" in page.text  # the model's answer
    assert 'data-scorer="match"' in page.text and '<td class="ecl-table__cell">C</td>' in page.text
    assert "mockllm/model" in page.text and 'data-testid="sample-usage"' in page.text
    assert "s in all" in page.text
    wrong = reverse(
        "evaluations:sample_transcript",
        args=[world.done.pk, PROBE_TASK, probe_sample_ids_2(world), 1],
    )
    assert '<td class="ecl-table__cell">I</td>' in reader.get(wrong).text
    for args in (
        [world.done.pk, PROBE_TASK, "no-such-sample", 1],
        [world.done.pk, PROBE_TASK, world.sample_id, 2],  # one epoch only
        [world.done.pk, "refusal_probe", world.sample_id, 1],  # no result of that task
        [world.queued.pk, PROBE_TASK, world.sample_id, 1],  # no result in that run
    ):
        assert reader.get(reverse("evaluations:sample_transcript", args=args)).status_code == 404
    # a NUL in the task or the sample (PostgreSQL refuses it in a query: was a 500 there)
    base = f"/office/evaluations/runs/{world.done.pk}/tasks"
    for bad in (f"{PROBE_TASK}%00/samples/{world.sample_id}/1/", f"{PROBE_TASK}/samples/a%00/1/"):
        assert reader.get(f"{base}/{bad}").status_code == 404, bad
    # digits Python's isdigit() takes and int() refuses (were 500s)
    for sample in ("%C2%B2", "9" * 5000):
        assert reader.get(f"{base}/{PROBE_TASK}/samples/{sample}/1/").status_code == 404
    Path(world.result.log_file.path).write_bytes(b"not a zip")
    assert reader.get(url).status_code == 404
    Path(world.result.log_file.path).unlink()
    assert reader.get(url).status_code == 404


def probe_sample_ids_2(world: World) -> str:
    """The second sample (the probe's fixed answer is wrong there)."""
    path = Path(world.result.log_file.path)
    return probe_sample_ids(path)[1]


def test_the_api_key_appears_on_no_page(officer: Client, world: World) -> None:
    make_run(world.endpoint, status="failed", error="HTTP 401")
    pages = [
        _targets_url(world.version),
        _new_url(world.version.pk),
        reverse("evaluations:run_list"),
        reverse("evaluations:run_list_csv"),
        reverse("evaluations:catalogue"),
    ] + [reverse("evaluations:run_detail", args=[run.pk]) for run in EvaluationRun.objects.all()]
    for url in pages:
        response = officer.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, url
        assert SECRET.encode() not in body, url
