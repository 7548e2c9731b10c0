"""The AI tools' pages: for the Office and the chairs only (404 for anyone else); a run
started from the page (in the background), its status, themes as a bar chart, campaigns,
a CSV twin; a theme with quotes (a confidential one labelled), members and summaries;
search and "find similar" within the consultation; a suggestion accepted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.accounts.models import User
from aioffice.core.testing import make_user, signed_in_client
from aioffice.drafting import services_analysis as services
from aioffice.drafting.models_analysis import AnalysisRun, Group, GroupKind, RunStatus, Summary
from gpai_evals.stub_server import StubServer, serve

from .analysis_world import CAMPAIGN, World

pytestmark = pytest.mark.django_db


def analysed(world: World, actor: User) -> AnalysisRun:
    run = services.run_request(actor=actor, consultation=world.consultation, enqueue=False)
    return services.run_execute(run.pk)


def energy_theme(world: World, run: AnalysisRun) -> Group:
    wanted = {row.pk for row in world.energy}
    themes = run.groups.filter(kind=GroupKind.THEME)
    return max(
        themes,
        key=lambda g: len(set(g.members.values_list("feedback_id", flat=True)) & wanted),
    )


def test_the_pages_are_for_the_office_and_the_chairs(
    analysis_world: World, drafting_runner: User, drafting_chair: User, drafting_member: User
) -> None:
    run = analysed(analysis_world, drafting_runner)
    theme = energy_theme(analysis_world, run)
    pk = analysis_world.consultation.pk
    feedback = analysis_world.energy[0].pk
    urls = [
        reverse("drafting:analysis", args=[pk]),
        reverse("drafting:analysis_search", args=[pk]) + "?q=energy",
        reverse("drafting:analysis_run", args=[run.pk]),
        reverse("drafting:analysis_run_csv", args=[run.pk]),
        reverse("drafting:analysis_group", args=[theme.pk]),
        reverse("drafting:feedback_similar", args=[feedback]),
    ]
    technical = make_user(Role.TECHNICAL_OFFICER, "analysis-technical")  # staff read everything
    for user in (drafting_runner, drafting_chair, technical):
        client = signed_in_client(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    for user in (drafting_member, make_user(Role.ORGANISATION_MEMBER, "analysis-provider")):
        client = signed_in_client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    for url in urls:
        assert Client().get(url).status_code == 302  # to sign in
    # the staff member without the second factor is sent to it
    half = signed_in_client(drafting_runner, second_factor=False)
    assert half.get(urls[0]).url == reverse("accounts:second_factor")


def test_a_run_started_from_the_page_and_its_findings(
    analysis_world: World, drafting_chair: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in_client(drafting_chair)
    url = reverse("drafting:analysis", args=[analysis_world.consultation.pk])
    refused = client.post(url, {"campaign_threshold": "3"})
    assert refused.status_code == 422
    assert "Enter a number from 0.5 to 1." in refused.content.decode()
    assert not AnalysisRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(url, {"campaign_min_size": "4"})
    run = AnalysisRun.objects.get()
    assert started.url == reverse("drafting:analysis_run", args=[run.pk])
    assert run.status == RunStatus.DONE  # the immediate backend of the test settings
    assert run.params["campaign_min_size"] == 4
    page = client.get(started.url)
    html = page.content.decode()
    assert 'data-testid="themes"' in html and "<meter" in html
    assert CAMPAIGN[0][:60] in html
    assert "hx-trigger" not in html  # finished: no more polling
    overview = client.get(url).content.decode()
    assert reverse("drafting:analysis_run", args=[run.pk]) in overview
    csv = b"".join(client.get(reverse("drafting:analysis_run_csv", args=[run.pk]))).decode()
    assert csv.splitlines()[0].startswith("kind,position,label,keywords,size,respondents")
    assert "campaign,1," in csv


def test_a_queued_run_page_polls_for_its_progress(
    analysis_world: World, drafting_runner: User
) -> None:
    run = services.run_request(
        actor=drafting_runner, consultation=analysis_world.consultation, enqueue=False
    )
    html = signed_in_client(drafting_runner).get(reverse("drafting:analysis_run", args=[run.pk]))
    text = html.content.decode()
    assert "hx-trigger" in text and "<progress" in text
    assert "Queued" in text


def test_a_theme_page_shows_quotes_members_and_marks_confidential_ones(
    analysis_world: World, drafting_chair: User, django_assert_max_num_queries: Any
) -> None:
    run = analysed(analysis_world, drafting_chair)
    theme = energy_theme(analysis_world, run)
    confidential = analysis_world.confidential
    assert confidential is not None
    Group.objects.filter(pk=theme.pk).update(representatives=[confidential.pk])
    client = signed_in_client(drafting_chair)
    url = reverse("drafting:analysis_group", args=[theme.pk])
    with django_assert_max_num_queries(14):
        page = client.get(url)
    html = page.content.decode()
    assert "confidential: not for publication" in html
    assert analysis_world.energy[1].comment[:50] in html  # a member
    assert "Summarise this theme" not in html  # no summary service configured


def test_the_run_page_query_count_is_pinned(
    analysis_world: World, drafting_runner: User, django_assert_max_num_queries: Any
) -> None:
    run = analysed(analysis_world, drafting_runner)
    client = signed_in_client(drafting_runner)
    url = reverse("drafting:analysis_run", args=[run.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("drafting:analysis", args=[run.consultation_id])).status_code == 200
        )


def test_search_and_find_similar_stay_within_the_consultation(
    analysis_world: World, drafting_runner: User
) -> None:
    analysed(analysis_world, drafting_runner)
    client = signed_in_client(drafting_runner)
    pk = analysis_world.consultation.pk
    page = client.get(
        reverse("drafting:analysis_search", args=[pk]),
        {"q": "report the energy used to train, estimated where not metered"},
    )
    html = page.content.decode()
    first = html.index('data-testid="results"')
    energy = [row.comment[:40] for row in analysis_world.energy[:4]]
    assert any(text in html[first:] for text in energy)
    assert "Feedback closest in meaning" in html
    similar = client.get(
        reverse("drafting:feedback_similar", args=[analysis_world.campaign[0].pk])
    ).content.decode()
    assert similar.count(CAMPAIGN[0][20:60]) >= 4  # its copies, first
    empty = client.get(reverse("drafting:analysis_search", args=[pk]), {"q": ""})
    assert "This field is required." in empty.content.decode()


def test_a_suggested_section_accepted_from_the_page(
    analysis_world: World, drafting_runner: User
) -> None:
    analysed(analysis_world, drafting_runner)
    client = signed_in_client(drafting_runner)
    row = analysis_world.general["documentation"]
    overview = client.get(reverse("drafting:analysis", args=[analysis_world.consultation.pk]))
    assert reverse("drafting:feedback_accept_section", args=[row.pk]) in overview.content.decode()
    done = client.post(reverse("drafting:feedback_accept_section", args=[row.pk]))
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.section == analysis_world.sections["documentation"]
    again = client.post(reverse("drafting:feedback_accept_section", args=[row.pk]), follow=True)
    assert "already filed under a section" in again.content.decode()


@pytest.fixture
def analysis_pages_llm(settings: Any) -> Iterator[StubServer]:
    with serve(answer="Respondents want energy reporting with a stated method.") as stub:
        settings.LLM_BASE_URL = stub.base_url
        settings.LLM_MODEL = "stub-summariser"
        settings.LLM_TIMEOUT_SECONDS = 5
        yield stub


def test_summaries_from_the_pages(
    analysis_world: World, drafting_chair: User, analysis_pages_llm: StubServer, settings: Any
) -> None:
    run = analysed(analysis_world, drafting_chair)
    theme = energy_theme(analysis_world, run)
    client = signed_in_client(drafting_chair)
    pk = analysis_world.consultation.pk
    group_url = reverse("drafting:analysis_group", args=[theme.pk])
    assert "Summarise this theme" in client.get(group_url).content.decode()
    page = client.post(reverse("drafting:summary_new", args=[pk]), {"group": theme.pk}, follow=True)
    html = page.content.decode()
    assert "Machine-written summary" in html
    assert "Respondents want energy reporting with a stated method." in html
    assert "stub-summariser" in html and analysis_pages_llm.base_url in html
    section = analysis_world.sections["energy"]
    client.post(reverse("drafting:summary_new", args=[pk]), {"section": section.pk})
    assert Summary.objects.filter(section=section).count() == 1
    # a failing service: the message on the form, nothing stored, never a 500
    settings.LLM_BASE_URL = analysis_pages_llm.base_url + "/missing"
    failed = client.post(reverse("drafting:summary_new", args=[pk]), {"section": section.pk})
    assert failed.status_code == 422
    assert "answered with an error (404)" in failed.content.decode()
    bad = client.post(reverse("drafting:summary_new", args=[pk]), {"group": "x"}, follow=True)
    assert "Choose a theme or campaign of this consultation." in bad.content.decode()
    assert Summary.objects.count() == 2
