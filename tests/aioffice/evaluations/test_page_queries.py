"""The evaluation pages' query counts are pinned and do not grow with the rows they show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from aioffice.accounts.choices import Role
from aioffice.core.testing import make_user, signed_in_client

from ._page_factories import make_run, make_target, make_version, probe_log, store_result

pytestmark = pytest.mark.django_db

# Every staff page: session, user, OTP device, the user's roles (rule and navigation).
# run list: count, page.
RUN_LIST = 6
# run list filtered by a version: the version for its heading as well.
RUN_LIST_OF_VERSION = 7
# targets page: the version, the targets, the version's latest runs.
TARGETS = 7
# run page: the run (with version, provider, target, creator), its results, their metrics.
RUN_DETAIL = 7
# the catalogue is code: nothing but the request's own queries.
CATALOGUE = 4
# the run form: the version, whether it has targets, the target choices.
RUN_FORM = 7


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer() -> Client:
    client = signed_in_client(make_user(Role.TECHNICAL_OFFICER, "tess"))
    client.get(reverse("evaluations:catalogue"))  # the session is warm
    return client


def test_lists_cost_the_same_for_one_row_or_many(
    officer: Client, django_assert_num_queries: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = probe_log(tmp_path_factory)
    version = make_version()
    target = make_target(version)
    run = make_run(target, status="succeeded", done=3, total=3)
    store_result(run, log)
    urls = {
        "list": (reverse("evaluations:run_list"), RUN_LIST),
        "list of version": (
            f"{reverse('evaluations:run_list')}?version={version.pk}",
            RUN_LIST_OF_VERSION,
        ),
        "targets": (reverse("evaluations:targets", args=[version.pk]), TARGETS),
        "catalogue": (reverse("evaluations:catalogue"), CATALOGUE),
        "form": (f"{reverse('evaluations:run_new')}?version={version.pk}", RUN_FORM),
    }
    for url, count in urls.values():
        with django_assert_num_queries(count):
            assert officer.get(url).status_code == 200
    detail = reverse("evaluations:run_detail", args=[run.pk])
    with django_assert_num_queries(RUN_DETAIL):
        officer.get(detail)

    # more of everything: other versions and providers, targets, runs, results with metrics
    for n in range(4):
        other = make_version(f"{n}.5", model_name=f"Other-{n}", provider=f"Provider {n}")
        make_run(make_target(other, f"t{n}"))
        make_target(version, f"extra-{n}", "vllm", base_url="http://h/v1", model_name="m")
    for n in range(6):
        make_run(target, status="failed", error=f"error {n}")
    for task in ("refusal_probe", "over_refusal_probe", "self_knowledge_probe"):
        store_result(run, log, task=task, metrics=4)
    for url, count in urls.values():
        with django_assert_num_queries(count):
            response = officer.get(url)
        assert response.status_code == 200
    with django_assert_num_queries(RUN_DETAIL):
        page = officer.get(detail)
    assert page.text.count("data-result=") == 4
    assert officer.get(reverse("evaluations:run_list")).context["page"].paginator.count == 11
