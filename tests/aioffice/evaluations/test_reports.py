"""The evaluation report of a run (HTML and PDF): what an Art. 92 evaluation file needs,
built from the stored results and the kept Inspect logs, never with the API key."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.urls import reverse

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal
from aioffice.evaluations import reports
from aioffice.evaluations.models import EvaluationRun
from aioffice.registry.models import ModelVersion
from gpai_evals._data import sha256_file
from gpai_evals._probes import probe_file


def _load_factories() -> ModuleType:
    name = "aioffice_evaluations_test_factories"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("_factories.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


F = _load_factories()
SECRET = "sk-test-very-secret-key-0042"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def version(db: None) -> ModelVersion:
    made: ModelVersion = F.make_version("Alpha", "1.0")
    return made


@pytest.fixture
def run(version: ModelVersion) -> EvaluationRun:
    """A finished run on the mock model: three tasks stored, one failed, one without result."""
    run = F.make_run(
        version,
        ["arithmetic_probe", "refusal_probe", "self_knowledge_probe", "over_refusal_probe"],
        epochs=2,
        temperature=0.5,
        max_tokens=512,
        token_limit=20_000,
        time_limit=120,
        seed=42,
        max_connections=4,
        sample_limit=12,
        notes="Art. 92 evaluation, file 2026/17.",
    )
    F.store_result(run, "arith_a")
    F.store_result(run, "refusal_all")
    F.store_result(run, "self_knowledge", status="error")
    made: EvaluationRun = run
    return made


def _inflate(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams hold the link annotations)
    inflated, so the literal strings in them can be searched."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _section(report: reports.Report, task: str) -> reports.TaskSection:
    return next(section for section in report.tasks if section.task == task)


def test_report_has_what_an_evaluation_file_needs(run: EvaluationRun) -> None:
    report = reports.build_report(run)
    assert (report.run_id, report.version_id) == (run.pk, run.version_id)
    assert (report.model_name, report.version_label, report.provider) == (
        "Alpha",
        "1.0",
        F.PROVIDER,
    )
    assert (report.target_name, report.target_kind) == ("mock", "mock")
    config = report.configuration
    assert config["tasks"] == run.tasks
    assert (config["epochs"], config["temperature"], config["max_tokens"]) == (2, 0.5, 512)
    assert (config["token_limit"], config["time_limit"], config["seed"]) == (20_000, 120, 42)
    assert (config["max_connections"], config["sample_limit"]) == (4, 12)
    assert report.packages["inspect_ai"]
    assert report.catalogue_version
    assert report.generated_at is not None
    assert [s.task for s in report.tasks] == [
        "arithmetic_probe",
        "refusal_probe",
        "self_knowledge_probe",
    ]
    assert report.tasks_without_result == ("over_refusal_probe",)

    arithmetic = _section(report, "arithmetic_probe")
    stored = run.results.get(task="arithmetic_probe")
    assert arithmetic.value == pytest.approx(9 / 12)
    assert (arithmetic.stderr, arithmetic.ci_low, arithmetic.ci_high) == (
        stored.stderr,
        stored.ci_low,
        stored.ci_high,
    )
    assert arithmetic.items == 12 and arithmetic.status == "success"
    assert {(m.scorer, m.name) for m in arithmetic.metrics} == {
        ("match", "accuracy"),
        ("match", "stderr"),
    }
    assert arithmetic.measures.startswith("short arithmetic")
    assert arithmetic.risk_area_label == "General capability"
    assert report.run_status_label == "Succeeded"
    # the data set with its SHA-256, as the task recorded it
    assert arithmetic.dataset.name == "arithmetic"
    assert arithmetic.dataset.samples == 12 and arithmetic.dataset.selected == 12
    assert arithmetic.dataset.source == "gpai_evals"
    assert list(arithmetic.dataset.sha256.values()) == [sha256_file(probe_file("arithmetic"))]
    # the kept log: name, SHA-256, size, and still those bytes
    log = arithmetic.log
    assert log.file_name == Path(stored.log_file.name).name and log.file_name.endswith(".eval")
    assert log.sha256 == hashlib.sha256(Path(stored.log_file.path).read_bytes()).hexdigest()
    assert log.size == Path(stored.log_file.path).stat().st_size
    assert log.present and log.verified
    # the elicitation as Inspect recorded it: the prompt template, the solver
    assert [step["solver"] for step in arithmetic.plan] == ["prompt_template", "generate"]
    assert "ANSWER:" in arithmetic.plan[0]["params"]["template"]
    assert arithmetic.eval_config["epochs"] == 1
    # every sample, with the link to its transcript
    assert len(arithmetic.samples) == 12 and arithmetic.samples_not_listed == 0
    first = arithmetic.samples[0]
    assert (first.sample_id, first.epoch, first.score) == ("arithmetic-01", 1, "C")
    assert first.url == reverse(
        "evaluations:sample_transcript", args=[run.pk, "arithmetic_probe", "arithmetic-01", 1]
    )
    assert [s.epoch for s in _section(report, "self_knowledge_probe").samples][:2] == [1, 2]

    limitations = " ".join(report.limitations)
    assert "mock model" in limitations
    assert "at most 12 samples" in limitations
    assert "self_knowledge_probe ended with Inspect status “error”" in limitations
    assert "over_refusal_probe has no result" in limitations


def test_report_of_a_run_executed_for_real(finished_run: EvaluationRun) -> None:
    """A run the worker executed (a runner subprocess, results ingested by execution)."""
    report = reports.build_report(finished_run)
    assert [s.task for s in report.tasks] == ["arithmetic_probe", "self_knowledge_probe"]
    assert report.configuration["epochs"] == 2 and report.packages["inspect_ai"]
    for section in report.tasks:
        assert section.status == "success" and section.value is not None
        assert section.log.present and section.log.verified
        assert section.dataset.sha256 and section.metrics
        assert section.eval_config["epochs"] == 2
        assert {s.epoch for s in section.samples} == {1, 2}
        assert all(s.url for s in section.samples)
    arithmetic = _section(report, "arithmetic_probe")
    assert arithmetic.dataset.selected == arithmetic.dataset.samples == 12
    assert len(arithmetic.samples) == 24  # 12 items, 2 epochs
    assert reports.render_report_pdf(report).startswith(b"%PDF-")


def test_content_hash_covers_the_report(run: EvaluationRun) -> None:
    report = reports.build_report(run)
    data = reports.report_as_dict(report)
    assert data["content_sha256"] == report.content_sha256
    del data["content_sha256"]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == report.content_sha256
    run.results.filter(task="refusal_probe").update(value=0.5)
    changed = reports.build_report(run)
    assert changed.content_sha256 != report.content_sha256


def test_endpoint_target_without_its_key(version: ModelVersion) -> None:
    target = F.make_target(
        version,
        "provider-api",
        kind="openai_compatible",
        base_url="https://api.provider.example/v1",
        model_name="alpha-1.0-chat",
        api_key=SECRET,
    )
    run = F.make_run(version, ["arithmetic_probe"], target=target)
    F.store_result(run, "arith_b")
    report = reports.build_report(run)
    assert report.target_base_url == "https://api.provider.example/v1"
    assert report.target_model_name == "alpha-1.0-chat"
    html = reports.render_report_html(report)
    for text in (html, json.dumps(reports.report_as_dict(report))):
        assert SECRET not in text and SECRET[-4:] not in text
    assert "https://api.provider.example/v1" in html
    assert "mock model" not in " ".join(report.limitations)


def test_html_is_self_contained_and_carries_the_hash(run: EvaluationRun) -> None:
    report = reports.build_report(run)
    html = reports.render_report_html(report, base_url="https://office.example")
    assert html.startswith("<!DOCTYPE html>")
    lowered = html.lower()
    assert "<script" not in lowered and "<link" not in lowered and " src=" not in lowered
    assert f'data-field="content-sha256">{report.content_sha256}<' in html
    stored = run.results.get(task="arithmetic_probe")
    assert stored.log_sha256 in html
    assert sha256_file(probe_file("arithmetic")) in html
    transcript = reverse(
        "evaluations:sample_transcript", args=[run.pk, "arithmetic_probe", "arithmetic-01", 1]
    )
    assert f'href="https://office.example{transcript}"' in html
    assert 'data-setting="seed">42<' in html
    pdf_url = reverse("evaluations:run_report_pdf", args=[run.pk])
    assert f'href="https://office.example{pdf_url}"' in html
    assert 'data-setting="temperature">0.5<' in html
    assert "Art. 92 evaluation, file 2026/17." in html


def test_pdf_is_made_from_the_same_html(run: EvaluationRun) -> None:
    report = reports.build_report(run)
    pdf = reports.render_report_pdf(report, base_url="https://office.example")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 5_000
    transcript = reverse(
        "evaluations:sample_transcript", args=[run.pk, "arithmetic_probe", "arithmetic-01", 1]
    )
    assert f"(https://office.example{transcript})".encode() in _inflate(pdf)  # a PDF link


def test_missing_or_altered_log_is_a_limitation_not_an_error(run: EvaluationRun) -> None:
    arithmetic = run.results.get(task="arithmetic_probe")
    refusal = run.results.get(task="refusal_probe")
    Path(arithmetic.log_file.path).unlink()
    with Path(refusal.log_file.path).open("ab") as handle:
        handle.write(b"appended")
    report = reports.build_report(run)
    assert not _section(report, "arithmetic_probe").log.present
    assert _section(report, "arithmetic_probe").samples == ()
    assert _section(report, "refusal_probe").log.verified is False
    limitations = " ".join(report.limitations)
    assert "The kept log of arithmetic_probe is missing" in limitations
    assert "refusal_probe no longer has the SHA-256" in limitations
    html = reports.render_report_html(report)
    assert "the file is missing" in html and "no longer has this SHA-256" in html
    assert reports.render_report_pdf(report).startswith(b"%PDF-")


def test_samples_listed_are_capped(run: EvaluationRun, monkeypatch: Any) -> None:
    monkeypatch.setattr(reports, "SAMPLES_LISTED", 5)
    report = reports.build_report(run)
    section = _section(report, "self_knowledge_probe")  # 10 items x 2 epochs
    assert len(section.samples) == 5 and section.samples_not_listed == 15
    assert "15 more samples are in the log" in reports.render_report_html(report)
    # and in the whole report: the first tasks use the allowance up
    monkeypatch.setattr(reports, "SAMPLES_LISTED", 100)
    monkeypatch.setattr(reports, "SAMPLES_LISTED_TOTAL", 20)
    report = reports.build_report(run)
    assert [len(s.samples) for s in report.tasks] == [12, 8, 0]
    assert [s.samples_not_listed for s in report.tasks] == [0, 4, 20]


def test_report_of_a_run_without_results(version: ModelVersion) -> None:
    run = F.make_run(version, ["gsm8k"], status="queued")
    report = reports.build_report(run)
    assert report.tasks == () and report.tasks_without_result == ("gsm8k",)
    assert any("not succeeded" in line for line in report.limitations)
    assert "No task has a result." in reports.render_report_html(report)


def test_report_reads_the_database_in_three_queries(
    run: EvaluationRun, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):  # the run with all it names, its results, their metrics
        reports.build_report(run)


# --- the pages ---------------------------------------------------------------------------

STAFF = {str(role) for role in OFFICE_ROLES}


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_report_pages_are_for_office_staff_only(name: str, run: EvaluationRun) -> None:
    client = principal(name).client
    for url_name in ("evaluations:run_report", "evaluations:run_report_pdf"):
        response = client.get(reverse(url_name, args=[run.pk]))
        if name == ANONYMOUS:
            assert response.status_code == 302
        elif name in STAFF:
            assert response.status_code == 200
        else:
            assert response.status_code == 403
            assert b"arithmetic" not in response.content


@pytest.fixture
def staff(db: None) -> Any:
    return principal(Role.LEGAL_OFFICER).client


def test_report_pages(staff: Any, run: EvaluationRun, django_assert_num_queries: Any) -> None:
    url = reverse("evaluations:run_report", args=[run.pk])
    staff.get(url)
    # session, user, device, memberships; the run (visibility); the report's three
    with django_assert_num_queries(8):
        response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["X-Content-SHA256"] == hashlib.sha256(response.content).hexdigest()
    assert response["X-Report-SHA256"].encode() in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert b"http://testserver/" in response.content  # absolute transcript links
    pdf = staff.get(reverse("evaluations:run_report_pdf", args=[run.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["X-Content-SHA256"] == hashlib.sha256(pdf.content).hexdigest()
    assert f'filename="evaluation-run-{run.pk}.pdf"' in pdf["Content-Disposition"]


def test_unknown_run_is_404_and_posts_are_refused(staff: Any, run: EvaluationRun) -> None:
    for url_name in ("evaluations:run_report", "evaluations:run_report_pdf"):
        assert staff.get(reverse(url_name, args=[run.pk + 1000])).status_code == 404
        assert staff.post(reverse(url_name, args=[run.pk])).status_code == 405
    assert staff.get(f"/office/evaluations/runs/{10**30}/report/").status_code == 404
