"""The capability profile: per risk area, the latest successful result of each task with its
uncertainty (gpai_evals.stats), the SVG chart, the profile page and the registry panel."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, make_user, principal, signed_in_client
from aioffice.evaluations import profiles
from aioffice.evaluations.profiles import MAX_SERIES, profile_svg, profiles_for, version_profile
from aioffice.registry.models import ModelVersion
from gpai_evals import stats
from gpai_evals.catalogue import RiskArea


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
SVG = "{http://www.w3.org/2000/svg}"


def _xml(text: str) -> ElementTree.Element:
    """Parse SVG this test suite itself produced (trusted input; no entities)."""
    return ElementTree.fromstring(text)  # noqa: S314


GENERAL, SAFEGUARDS = RiskArea.GENERAL_CAPABILITY.value, RiskArea.SAFEGUARDS.value


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def version(db: None) -> ModelVersion:
    made: ModelVersion = F.make_version("Alpha", "1.0")
    return made


def _version(pk: int) -> ModelVersion:
    return ModelVersion.objects.select_related("model__provider__organisation").get(pk=pk)


# --- the numbers -------------------------------------------------------------------------


def test_profile_aggregates_the_latest_successful_result_per_task(version: ModelVersion) -> None:
    old = F.make_run(version, ["arithmetic_probe"])
    new = F.make_run(version, ["arithmetic_probe", "gsm8k", "refusal_probe"])
    earlier = timezone.now() - timedelta(days=3)
    F.add_result_row(old, "arithmetic_probe", GENERAL, 0.2, 0.1, completed_at=earlier)
    F.add_result_row(new, "arithmetic_probe", GENERAL, 0.6, 0.1)
    F.add_result_row(new, "gsm8k", GENERAL, 0.8, 0.05, items=100)
    F.add_result_row(new, "refusal_probe", SAFEGUARDS, 1.0, 0.0, items=12)
    profile = version_profile(_version(version.pk))

    general = profile.area(RiskArea.GENERAL_CAPABILITY)
    assert general.estimate is not None
    expected = stats.risk_area_profile(
        [
            stats.TaskResult("arithmetic_probe", GENERAL, 0.6, 0.1, 10),
            stats.TaskResult("gsm8k", GENERAL, 0.8, 0.05, 100),
        ]
    )[GENERAL].estimate
    assert general.estimate == expected
    assert general.estimate.mean == pytest.approx(0.7)
    assert general.estimate.stderr == pytest.approx(math.sqrt(0.1**2 + 0.05**2) / 2)
    assert set(general.tasks) == {"arithmetic_probe", "gsm8k"}
    safeguards = profile.area(SAFEGUARDS).estimate
    assert safeguards is not None and safeguards.mean == 1.0
    # areas without a result have no estimate (not 0), and every area is listed in order
    assert [a.risk_area for a in profile.areas] == list(RiskArea)
    assert profile.area(RiskArea.CBRN).estimate is None
    assert {t.task: t.value for t in profile.tasks}["arithmetic_probe"] == 0.6
    assert {t.task: t.run_id for t in profile.tasks}["arithmetic_probe"] == new.pk
    data = json.loads(json.dumps(profiles.profile_as_dict(profile)))
    assert [a["risk_area"] for a in data["areas"]] == [area.value for area in RiskArea]
    assert data["areas"][4]["estimate"]["mean"] == pytest.approx(0.7)
    assert data["areas"][0]["estimate"] is None
    assert len(data["tasks"]) == 3 and data["version_id"] == version.pk


def test_profile_as_of_a_moment_ignores_later_results(version: ModelVersion) -> None:
    run = F.make_run(version, ["arithmetic_probe"])
    later = F.make_run(version, ["arithmetic_probe"])
    before = timezone.now() - timedelta(days=10)
    F.add_result_row(run, "arithmetic_probe", GENERAL, 0.25, 0.1, stored_at=before)
    F.add_result_row(later, "arithmetic_probe", GENERAL, 0.75, 0.1)
    assert version_profile(version).area(GENERAL).estimate.mean == 0.75  # type: ignore[union-attr]
    as_of = before + timedelta(days=1)
    past = version_profile(version, as_of=as_of)
    assert past.area(GENERAL).estimate.mean == 0.25  # type: ignore[union-attr]
    assert past.as_of == as_of
    assert not version_profile(version, as_of=before - timedelta(days=1)).evaluated


def test_failed_results_and_results_without_error_bars(version: ModelVersion) -> None:
    run = F.make_run(version, ["arithmetic_probe", "gsm8k", "refusal_probe"])
    F.add_result_row(run, "arithmetic_probe", GENERAL, 0.9, 0.1, status="error")
    F.add_result_row(run, "gsm8k", GENERAL, 1.0, None, items=1)
    F.add_result_row(run, "refusal_probe", SAFEGUARDS, None, None, items=0)
    profile = version_profile(version)
    general = profile.area(GENERAL)
    # the errored task is not used; the one-item task is shown but not aggregated
    assert general.estimate is None
    assert general.without_stderr == ("gsm8k",)
    assert [t.task for t in profile.tasks] == ["gsm8k"]
    assert profile.area(SAFEGUARDS).estimate is None


def test_results_of_other_versions_are_not_mixed_in(version: ModelVersion) -> None:
    other = F.make_version("Beta", "2.0")
    F.add_result_row(F.make_run(other, ["gsm8k"]), "gsm8k", GENERAL, 0.4, 0.1)
    assert not version_profile(version).evaluated
    assert version_profile(other).area(GENERAL).estimate is not None


def test_profiles_for_keeps_the_order_and_a_constant_number_of_queries(
    version: ModelVersion, django_assert_num_queries: Any
) -> None:
    versions = [version] + [F.make_version(f"Ref {i}", "1") for i in range(5)]
    for index, item in enumerate(versions):
        run = F.make_run(item, ["gsm8k", "refusal_probe"])
        F.add_result_row(run, "gsm8k", GENERAL, index / 10, 0.05)
        F.add_result_row(run, "refusal_probe", SAFEGUARDS, 1 - index / 10, 0.05)
    with django_assert_num_queries(2):
        one = profiles_for([versions[0]])
    with django_assert_num_queries(2):
        many = profiles_for([v.pk for v in reversed(versions)] + [10**9])  # unknown id skipped
    assert [p.version_id for p in many] == [v.pk for v in reversed(versions)]
    assert one[0] == many[-1]
    assert [p.area(GENERAL).estimate.mean for p in many] == pytest.approx(  # type: ignore[union-attr]
        [0.5, 0.4, 0.3, 0.2, 0.1, 0.0]
    )
    assert many[0].label == "Ref 4 1"
    assert many[0].provider == F.PROVIDER
    selected = _version(version.pk)
    with django_assert_num_queries(1):
        version_profile(selected)
    with django_assert_num_queries(0):
        assert profiles_for([]) == []


def test_profile_from_results_stored_from_real_logs(version: ModelVersion) -> None:
    run = F.make_run(version, ["arithmetic_probe", "refusal_probe", "self_knowledge_probe"])
    arithmetic = F.store_result(run, "arith_a")
    F.store_result(run, "refusal_all")
    F.store_result(run, "self_knowledge")
    profile = version_profile(version)
    assert profile.area(GENERAL).estimate.mean == pytest.approx(9 / 12)  # type: ignore[union-attr]
    assert profile.area(GENERAL).estimate.stderr == pytest.approx(arithmetic.stderr)  # type: ignore[union-attr]
    assert profile.area(SAFEGUARDS).estimate.mean == 1.0  # type: ignore[union-attr]
    assert profile.area(RiskArea.LOSS_OF_CONTROL).estimate is not None


# --- the chart ---------------------------------------------------------------------------


def _chart_profiles() -> list[profiles.Profile]:
    def area(risk: RiskArea, mean: float | None, se: float = 0.1) -> profiles.AreaEstimate:
        estimate = None if mean is None else stats.Estimate(mean, se, mean - 0.2, mean + 0.2, 10)
        return profiles.AreaEstimate(risk, estimate, ("t",) if estimate else (), ())

    def profile(pk: int, name: str, values: dict[RiskArea, float]) -> profiles.Profile:
        return profiles.Profile(
            pk, name, "1.0", "P", None, tuple(area(r, values.get(r)) for r in RiskArea), ()
        )

    return [
        profile(1, "Alpha", {RiskArea.CBRN: 0.9, RiskArea.SAFEGUARDS: 0.1}),
        profile(2, 'Evil <script>alert("x")</script> & co', {RiskArea.CBRN: 0.5}),
    ]


def test_chart_is_accessible_svg_with_one_series_per_profile() -> None:
    svg = profile_svg(_chart_profiles(), title="Profile of Alpha 1.0")
    root = _xml(svg)  # well-formed XML: every name escaped
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Profile of Alpha 1.0"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"  # type: ignore[union-attr]
    assert desc is not None and desc.text is not None
    assert "CBRN: 0.90 (95% interval 0.70 to 1.10)" in desc.text
    assert "Cyber offence: no result" in desc.text
    assert "<script>" not in svg and "script" in desc.text
    assert "<script" not in svg.lower().replace("&lt;script", "")
    series = root.findall(f"{SVG}g[@class='series']")
    assert [g.get("data-version") for g in series] == ["1", "2"]
    points = [p for g in series for p in g.findall(f"{SVG}g[@class='point']")]
    assert [(p.get("data-area"), p.get("data-mean")) for p in points] == [
        ("cbrn", "0.9000"),
        ("safeguards", "0.1000"),
        ("cbrn", "0.5000"),
    ]
    # the error bar of CBRN for Alpha is clipped at the top of the plot (1.0)
    bar = points[0].find(f"{SVG}line")
    assert bar is not None
    assert float(bar.get("y2", "nan")) == pytest.approx(profiles._PLOT_TOP)
    # two distinct colours and marker shapes, a legend entry each
    first, second = (g.find(f"{SVG}g/{SVG}line") for g in series)
    assert first is not None and second is not None
    assert first.get("stroke") != second.get("stroke")
    legend = root.findall(f"{SVG}g[@class='legend']/{SVG}g")
    assert len(legend) == 2
    assert legend[0].find(f"{SVG}circle") is not None
    assert legend[1].find(f"{SVG}rect") is not None


def test_chart_limits() -> None:
    one = _chart_profiles()[0]
    with pytest.raises(ValueError, match="at most"):
        profile_svg([one] * (MAX_SERIES + 1), title="t")
    with pytest.raises(ValueError, match="at least one"):
        profile_svg([], title="t")
    _xml(profile_svg([one] * MAX_SERIES, title="all series"))


# --- the pages ---------------------------------------------------------------------------

STAFF = {str(role) for role in OFFICE_ROLES}


def _expected(name: str) -> int:
    if name == ANONYMOUS:
        return 302
    return 200 if name in STAFF else 403


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_profile_pages_are_for_office_staff_only(name: str, version: ModelVersion) -> None:
    run = F.make_run(version, ["gsm8k"])
    F.add_result_row(run, "gsm8k", GENERAL, 0.5, 0.1)
    client = principal(name).client
    for url in (
        reverse("evaluations:version_profile", args=[version.pk]),
        reverse("evaluations:version_profile_panel", args=[version.pk]),
    ):
        response = client.get(url)
        assert response.status_code == _expected(name), (name, url)
        if response.status_code == 200:
            assert b"0.50" in response.content
        else:
            assert b"gsm8k" not in response.content


def test_staff_without_second_factor_is_sent_to_it(version: ModelVersion) -> None:
    client = signed_in_client(make_user(Role.TECHNICAL_OFFICER), second_factor=False)
    response = client.get(reverse("evaluations:version_profile", args=[version.pk]))
    assert response.status_code == 302
    assert reverse("accounts:second_factor") in response["Location"]


@pytest.fixture
def staff(db: None) -> Any:
    return principal(Role.POLICY_OFFICER).client


def test_profile_page_with_references(
    staff: Any, version: ModelVersion, django_assert_num_queries: Any
) -> None:
    references = [F.make_version(f"Ref {i}", "1") for i in range(3)]
    for index, item in enumerate([version, *references]):
        run = F.make_run(item, ["gsm8k", "refusal_probe"])
        F.add_result_row(run, "gsm8k", GENERAL, 0.2 + index / 10, 0.05)
        F.add_result_row(run, "refusal_probe", SAFEGUARDS, 0.9, 0.02)
    url = reverse("evaluations:version_profile", args=[version.pk])
    staff.get(url)  # session and caches warm
    with django_assert_num_queries(9):
        response = staff.get(url, {"reference": [r.pk for r in references[:1]]})
    assert response.status_code == 200
    with django_assert_num_queries(9):
        response = staff.get(url, {"reference": [r.pk for r in references]})
    assert response.status_code == 200
    html = response.content.decode()
    root = _xml(html[html.index("<svg") : html.index("</svg>") + 6])
    series = root.findall(f"{SVG}g[@class='series']")
    assert [int(g.get("data-version", 0)) for g in series] == [version.pk] + [
        r.pk for r in references
    ]
    assert 'data-testid="profile-table"' in html
    assert 'data-testid="profile-tasks"' in html
    assert reverse("evaluations:run_report", args=[version.evaluation_runs.first().pk]) in html  # type: ignore[union-attr]
    # the picker offers the versions that have results, not this one
    assert f'value="{references[0].pk}"' in html
    assert f'<option value="{version.pk}"' not in html


@pytest.mark.parametrize(
    "references",
    [["abc"], ["0"], ["-3"], [str(10**30)], ["999999"], [str(n) for n in range(1, 9)]],
)
def test_bad_references_are_a_form_error(
    staff: Any, version: ModelVersion, references: list[str]
) -> None:
    F.add_result_row(F.make_run(version, ["gsm8k"]), "gsm8k", GENERAL, 0.5, 0.1)
    for n in range(8):
        F.make_version(f"Other {n}", "1")
    response = staff.get(
        reverse("evaluations:version_profile", args=[version.pk]), {"reference": references}
    )
    assert response.status_code == 400
    assert b"ecl-feedback-message" in response.content
    assert b"<svg" in response.content  # the version's own profile is still drawn


def test_the_version_itself_as_reference_is_ignored(staff: Any, version: ModelVersion) -> None:
    response = staff.get(
        reverse("evaluations:version_profile", args=[version.pk]), {"reference": [version.pk]}
    )
    assert response.status_code == 200
    assert response.content.count(b'class="series"') == 1


def test_unknown_version_is_404(staff: Any) -> None:
    for name in ("evaluations:version_profile", "evaluations:version_profile_panel"):
        assert staff.get(reverse(name, args=[987654])).status_code == 404


def test_panel_is_a_fragment_and_says_when_there_is_nothing(
    staff: Any, version: ModelVersion, django_assert_num_queries: Any
) -> None:
    url = reverse("evaluations:version_profile_panel", args=[version.pk])
    staff.get(url)
    response = staff.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'data-testid="profile-empty"' in response.content
    F.add_result_row(F.make_run(version, ["gsm8k"]), "gsm8k", GENERAL, 0.5, 0.1)
    with django_assert_num_queries(6):
        response = staff.get(url, HTTP_HX_REQUEST="true")
    assert b"<svg" in response.content
    assert b'data-area="general_capability"' in response.content


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_registry_version_page_loads_the_panel_for_staff_only(
    name: str, version: ModelVersion
) -> None:
    response = principal(name).client.get(reverse("registry:version_detail", args=[version.pk]))
    panel = reverse("evaluations:version_profile_panel", args=[version.pk])
    if response.status_code != 200:
        assert name not in STAFF
        return
    if name in STAFF:
        assert f'hx-get="{panel}"' in response.content.decode()
        assert (
            reverse("evaluations:version_profile", args=[version.pk]) in response.content.decode()
        )
    else:
        assert panel.encode() not in response.content
        assert b"profile-panel-slot" not in response.content
