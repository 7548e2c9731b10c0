"""The registry's pages for staff and providers, on the real database: every page for every
principal, the actions on a notification (each a form posting to one service, errors next
to their field, refusals with their reason and date), the models and version pages, the
deadlines, CSV downloads and the pinned query counts of the lists."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aioffice.accounts import services as accounts
from aioffice.accounts.choices import OrganisationKind, Role
from aioffice.core.testing import (
    ALL_PRINCIPALS,
    ANONYMOUS,
    make_user,
    principal,
    signed_in_client,
)
from aioffice.registry import services
from aioffice.registry.models import (
    Decision,
    InformationRequest,
    ModelVersion,
    Notification,
    Provider,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
STAFF_ROLES = {
    Role.POLICY_OFFICER,
    Role.TECHNICAL_OFFICER,
    Role.LEGAL_OFFICER,
    Role.HEAD_OF_UNIT,
    Role.ADMINISTRATOR,
}
DECIDERS = {Role.LEGAL_OFFICER, Role.HEAD_OF_UNIT}


def _member_of(provider: Provider, username: str) -> Client:
    user = make_user(None, username)
    accounts.membership_add(
        actor=None, user=user, organisation=provider.organisation, role=Role.ORGANISATION_MEMBER
    )
    return signed_in_client(user)


def _notify(version: ModelVersion, *, arguments: bool = True, **changes: Any) -> Notification:
    data: dict[str, Any] = {
        "trigger": "compute_threshold",
        "compute_flop": 3.8e25,
        "estimation_method": "6 x parameters x tokens",
        "assumptions": "dense transformer",
        "uncertainty": "+/- 10%",
        "trigger_date": TODAY,
    }
    if arguments:
        data["arguments_text"] = "Capabilities below the frontier."
        data["arguments_grounds"] = ["capabilities"]
    return services.notification_submit(actor=None, version=version, data={**data, **changes})


@pytest.fixture
def world(
    provider_factory: Callable[..., Provider], version_factory: Callable[..., ModelVersion]
) -> dict[str, Any]:
    alpha = provider_factory("Alpha AI")
    beta = provider_factory("Beta Labs", in_union=False)
    alpha_version = version_factory(alpha, model_name="Alpha-1")
    beta_version = version_factory(beta, model_name="Beta-1")
    for version in (alpha_version, beta_version):
        services.version_assess(actor=None, version=version)
    rep_org = accounts.organisation_create(
        actor=None,
        name="Union Rep",
        kind=OrganisationKind.AUTHORISED_REPRESENTATIVE,
        country="IE",
        established_in_union=True,
    )
    services.representative_appoint(
        actor=None,
        provider=beta,
        representative=rep_org,
        document=ContentFile(b"mandate", name="mandate.pdf"),
        union_country="IE",
        tasks=["art54_3_a"],
        start=TODAY - timedelta(days=1),
    )
    rita = make_user(None, "rita")
    accounts.membership_add(
        actor=None, user=rita, organisation=rep_org, role=Role.ORGANISATION_MEMBER
    )
    notification = _notify(alpha_version)
    return {
        "alpha": alpha,
        "beta": beta,
        "alpha_version": alpha_version,
        "beta_version": beta_version,
        "notification": notification,
        "beta_notification": _notify(beta_version, arguments=False),
        "alice": _member_of(alpha, "alice"),
        "bob": _member_of(beta, "bob"),
        "rita": signed_in_client(rita),
        "tess": make_user(Role.TECHNICAL_OFFICER, "tess"),
        "leo": make_user(Role.LEGAL_OFFICER, "leo"),
    }


def _detail(notification: Notification) -> str:
    return reverse("registry:notification_detail", args=[notification.tracking_number])


def _action(notification: Notification, name: str) -> str:
    return reverse(f"registry:notification_{name}", args=[notification.tracking_number])


# --- every page, every principal ------------------------------------------------------------


def _pages(world: dict[str, Any]) -> dict[str, str]:
    version = world["alpha_version"]
    return {
        "models": reverse("registry:model_list"),
        "models_csv": reverse("registry:model_list_csv"),
        "model": reverse("registry:model_detail", args=[version.model_id]),
        "version": reverse("registry:version_detail", args=[version.pk]),
        "notification": _detail(world["notification"]),
        "designate": reverse("registry:version_designate", args=[version.pk]),
        "deadlines": reverse("registry:deadlines"),
        "queue_csv": reverse("registry:notification_queue_csv"),
    }


STAFF_ONLY = {"deadlines", "queue_csv"}
RECORDS = {"model", "version", "notification"}


def _expected(name: str, page: str) -> int:
    """The status each principal gets: staff everything (designation: deciders only);
    people outside the Office only lists, and someone else's record is a 404."""
    if name == ANONYMOUS:
        return 302
    if name in STAFF_ROLES:
        if page == "designate":
            return 200 if name in DECIDERS else 403
        return 200
    if page in STAFF_ONLY or page == "designate":
        return 403
    if page in RECORDS:
        return 404
    return 200


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_answers_every_principal_by_the_rules(world: dict[str, Any], name: str) -> None:
    who = principal(name)
    for page, url in _pages(world).items():
        response = who.client.get(url)
        assert response.status_code == _expected(name, page), (page, url)
        if response.status_code == 302:
            assert reverse("accounts:login") in response["Location"]


def test_the_providers_people_and_its_representative_see_their_own_records_only(
    world: dict[str, Any],
) -> None:
    alpha_pages = _pages(world)
    beta_version = world["beta_version"]
    beta_pages = {
        "model": reverse("registry:model_detail", args=[beta_version.model_id]),
        "version": reverse("registry:version_detail", args=[beta_version.pk]),
        "notification": _detail(world["beta_notification"]),
    }
    for who, own, other in (
        ("alice", alpha_pages, beta_pages),
        ("bob", beta_pages, alpha_pages),
        ("rita", beta_pages, alpha_pages),
    ):
        client: Client = world[who]
        for page in RECORDS:
            assert client.get(own[page]).status_code == 200, (who, page)
            assert client.get(other[page]).status_code == 404, (who, page)
        listed = client.get(reverse("registry:model_list")).text
        assert ("Alpha-1" in listed) == (who == "alice")
        assert ("Beta-1" in listed) == (who != "alice")
    # Actions on someone else's notification are 404 too, whatever the form says.
    other = world["beta_notification"]
    for action in ("withdraw", "add_documents", "assign", "hearing", "decide"):
        response = world["alice"].post(_action(other, action), {})
        assert response.status_code == 404, action


def test_staff_without_the_second_factor_are_sent_to_it(world: dict[str, Any]) -> None:
    client = signed_in_client(world["tess"], second_factor=False)
    for url in _pages(world).values():
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:second_factor") in response["Location"]


# --- staff actions on a notification ---------------------------------------------------------


def test_the_actions_shown_follow_the_state_and_the_role(world: dict[str, Any]) -> None:
    url = _detail(world["notification"])
    tess = signed_in_client(world["tess"]).get(url).text
    assert 'data-testid="assign-form"' in tess
    assert 'data-testid="hearing-form"' in tess
    assert 'data-testid="information-form"' in tess
    assert 'data-testid="decision-form"' not in tess
    assert 'data-testid="withdraw-form"' not in tess
    leo = signed_in_client(world["leo"]).get(url).text
    assert 'data-testid="decision-form"' in leo
    alice = world["alice"].get(url).text
    assert 'data-testid="withdraw-form"' in alice
    assert 'data-testid="assign-form"' not in alice
    assert 'data-testid="decision-form"' not in alice


def test_an_officer_assigns_and_a_bad_choice_is_named_next_to_the_field(
    world: dict[str, Any],
) -> None:
    notification = world["notification"]
    tess = signed_in_client(world["tess"])
    bad = tess.post(_action(notification, "assign"), {"assign-officer": "999999"})
    assert bad.status_code == 200
    assert 'id="id_assign-officer-error"' in bad.text
    outsider = make_user(None, "outsider")
    not_staff = tess.post(_action(notification, "assign"), {"assign-officer": outsider.pk})
    assert 'id="id_assign-officer-error"' in not_staff.text
    done = tess.post(_action(notification, "assign"), {"assign-officer": world["tess"].pk})
    assert done.status_code == 302
    assert done["Location"] == _detail(notification)
    notification.refresh_from_db()
    assert notification.assigned_officer == world["tess"]
    assert notification.status == "under_assessment"
    assert world["alice"].post(_action(notification, "assign"), {}).status_code == 403
    anonymous = Client().post(_action(notification, "assign"), {})
    assert reverse("accounts:login") in anonymous["Location"]


def test_more_information_is_asked_and_answered_with_a_document(world: dict[str, Any]) -> None:
    notification = world["notification"]
    tess = signed_in_client(world["tess"])
    url = reverse("registry:notification_request_information", args=[notification.tracking_number])
    past = tess.post(url, {"info-questions": "How?", "info-due_on": TODAY.isoformat()})
    assert 'id="id_info-due_on-error"' in past.text
    due = (TODAY + timedelta(days=10)).isoformat()
    assert (
        tess.post(url, {"info-questions": "How was it counted?", "info-due_on": due}).status_code
        == 302
    )
    info = InformationRequest.objects.get()
    page = world["alice"].get(_detail(notification))
    assert "How was it counted?" in page.text
    assert 'data-testid="answer-form"' in page.text
    answer_url = reverse(
        "registry:information_request_answer", args=[notification.tracking_number, info.pk]
    )
    assert tess.post(answer_url, {}).status_code == 403
    assert world["bob"].post(answer_url, {}).status_code == 404
    empty = world["alice"].post(answer_url, {f"answer-{info.pk}-answer": ""})
    assert f'id="id_answer-{info.pk}-answer-error"' in empty.text
    sent = world["alice"].post(
        answer_url,
        {
            f"answer-{info.pk}-answer": "Counted from the training logs.",
            f"answer-{info.pk}-document": SimpleUploadedFile("logs.txt", b"step,flop\n1,2\n"),
        },
    )
    assert sent.status_code == 302
    info.refresh_from_db()
    assert info.answered_on == TODAY
    assert info.documents.count() == 1
    assert "Counted from the training logs." in tess.get(_detail(notification)).text


def test_a_rejection_is_refused_without_a_hearing_and_before_its_end_then_taken(
    world: dict[str, Any],
) -> None:
    notification = world["notification"]
    tess = signed_in_client(world["tess"])
    leo = signed_in_client(world["leo"])
    reject = {"decision-kind": "arguments_rejected", "decision-reasons": "Frontier capabilities."}
    assert tess.post(_action(notification, "decide"), reject).status_code == 403
    refused = leo.post(_action(notification, "decide"), reject)
    assert refused.status_code == 200
    assert "hear the provider first" in refused.text
    no_reasons = tess.post(
        _action(notification, "hearing"), {"hearing-draft_kind": "arguments_rejected"}
    )
    assert 'id="id_hearing-draft_reasons-error"' in no_reasons.text
    opened_on = TODAY - timedelta(days=40)
    opened = tess.post(
        _action(notification, "hearing"),
        {
            "hearing-draft_kind": "arguments_rejected",
            "hearing-draft_reasons": "We intend to reject.",
            "hearing-opened_on": opened_on.isoformat(),
        },
    )
    assert opened.status_code == 302
    hearing = notification.hearings.get()
    during = tess.get(_detail(notification)).text
    assert 'data-testid="information-form"' not in during
    assert 'data-testid="hearing-ends"' in during and hearing.ends_on.isoformat() in during
    early = leo.post(
        _action(notification, "decide"),
        {**reject, "decision-decided_on": hearing.ends_on.isoformat()},
    )
    assert f"The hearing period runs to {hearing.ends_on:%Y-%m-%d}" in early.text
    taken = leo.post(_action(notification, "decide"), reject)
    assert taken.status_code == 302
    decision = Decision.objects.get()
    assert decision.kind == "arguments_rejected"
    assert decision.decided_on == TODAY
    page = world["alice"].get(_detail(notification)).text
    assert "Frontier capabilities." in page
    assert f"/api/v1/registry/decisions/{decision.pk}/letter" in page
    assert 'data-testid="decision-form"' not in leo.get(_detail(notification)).text
    closed = leo.post(
        _action(notification, "hearing"),
        {
            "hearing-draft_kind": "arguments_rejected",
            "hearing-draft_reasons": "Again.",
        },
    )
    assert "decided" in closed.text


def test_the_provider_withdraws_its_notification_and_staff_cannot(world: dict[str, Any]) -> None:
    notification = world["notification"]
    tess = signed_in_client(world["tess"])
    assert (
        tess.post(_action(notification, "withdraw"), {"withdraw-reasons": "x"}).status_code == 403
    )
    empty = world["alice"].post(_action(notification, "withdraw"), {"withdraw-reasons": ""})
    assert 'id="id_withdraw-reasons-error"' in empty.text
    done = world["alice"].post(
        _action(notification, "withdraw"), {"withdraw-reasons": "Counted twice."}
    )
    assert done.status_code == 302
    notification.refresh_from_db()
    assert notification.status == "withdrawn"
    page = world["alice"].get(_detail(notification)).text
    assert "Counted twice." in page
    assert 'data-testid="withdraw-form"' not in page


def test_the_provider_adds_evidence_and_a_bad_file_is_named(world: dict[str, Any]) -> None:
    notification = world["notification"]
    url = _action(notification, "add_documents")
    bad = world["alice"].post(
        url, {"documents-document": SimpleUploadedFile("x.bin", b"\x00\x01\x02binary")}
    )
    assert bad.status_code == 200
    assert 'id="id_documents-document-error"' in bad.text
    good = world["alice"].post(
        url, {"documents-document": SimpleUploadedFile("evals.pdf", b"%PDF-1.4 results")}
    )
    assert good.status_code == 302
    assert notification.documents.count() == 1


# --- ex officio designation, reassessment --------------------------------------------------------


def test_a_legal_officer_designates_a_version_with_the_annex_xiii_criteria(
    world: dict[str, Any],
) -> None:
    version = world["beta_version"]
    url = reverse("registry:version_designate", args=[version.pk])
    leo = signed_in_client(world["leo"])
    page = leo.get(url)
    assert 'name="annex_g"' in page.text
    missing = leo.post(url, {"kind": "designated_annex_xiii", "reasons": "Reach."})
    assert missing.status_code == 200
    assert 'id="id_annex_a-error"' in missing.text
    done = leo.post(
        url,
        {
            "kind": "designated_annex_xiii",
            "reasons": "High impact through reach.",
            "annex_f": "12,000 registered business users in the Union.",
            "annex_e": "Leading benchmark results.",
        },
    )
    assert done.status_code == 302
    decision = Decision.objects.get(version=version)
    assert decision.annex_xiii == {
        "e": "Leading benchmark results.",
        "f": "12,000 registered business users in the Union.",
    }
    history = world["bob"].get(reverse("registry:version_detail", args=[version.pk])).text
    assert "12,000 registered business users in the Union." in history
    assert 'data-status="designated"' in history


def test_a_reassessment_asked_too_early_is_refused_with_its_date(world: dict[str, Any]) -> None:
    version = world["beta_version"]
    services.decision_take(
        actor=world["leo"],
        version=version,
        kind="designated_annex_xiii",
        reasons="Reach.",
        annex_xiii={"f": "Reach."},
    )
    url = reverse("registry:reassessment_request", args=[version.pk])
    refused = world["bob"].post(url, {"reassessment-reasons": "New evaluations."})
    assert refused.status_code == 200
    assert "A reassessment can be requested from 20" in refused.text
    assert signed_in_client(world["tess"]).post(url, {}).status_code == 403
    assert world["alice"].post(url, {}).status_code == 404


def test_a_decider_answers_a_reassessment_request(world: dict[str, Any]) -> None:
    version = world["beta_version"]
    long_ago = TODAY - timedelta(days=450)
    services.decision_take(
        actor=world["leo"],
        version=version,
        kind="designated_annex_xiii",
        reasons="Reach.",
        annex_xiii={"f": "Reach."},
        decided_on=long_ago,
    )
    item = services.reassessment_request(actor=None, version=version, reasons="New evaluations.")
    page = signed_in_client(world["leo"]).get(reverse("registry:version_detail", args=[version.pk]))
    assert 'data-testid="reassessment-decide-form"' in page.text
    url = reverse("registry:reassessment_decide", args=[item.pk])
    assert signed_in_client(world["tess"]).post(url, {}).status_code == 403
    assert world["bob"].post(url, {}).status_code == 403
    done = signed_in_client(world["leo"]).post(
        url,
        {
            f"reassess-{item.pk}-kind": "designation_maintained",
            f"reassess-{item.pk}-reasons": "Still.",
        },
    )
    assert done.status_code == 302
    assert Decision.objects.filter(reassessment_request=item).exists()


def test_a_decider_lifts_a_designation_on_the_page(world: dict[str, Any]) -> None:
    version = world["beta_version"]
    services.decision_take(
        actor=world["leo"],
        version=version,
        kind="designated_annex_xiii",
        reasons="Reach.",
        annex_xiii={"f": "Reach."},
        decided_on=TODAY - timedelta(days=450),
    )
    item = services.reassessment_request(actor=None, version=version, reasons="New evaluations.")
    leo = signed_in_client(world["leo"])
    page = leo.get(reverse("registry:version_detail", args=[version.pk]))
    assert 'value="designation_lifted"' in page.text
    url = reverse("registry:reassessment_decide", args=[item.pk])
    missing = leo.post(url, {f"reassess-{item.pk}-kind": "designation_lifted"})
    assert missing.status_code == 200
    assert Decision.objects.filter(reassessment_request=item).count() == 0
    done = leo.post(
        url,
        {
            f"reassess-{item.pk}-kind": "designation_lifted",
            f"reassess-{item.pk}-reasons": "The new evaluations show lower capabilities.",
        },
    )
    assert done.status_code == 302
    decision = Decision.objects.get(reassessment_request=item)
    assert decision.kind == "designation_lifted"
    version.refresh_from_db()
    # Beta-1 is above 1e25 FLOP: the Art. 51(2) presumption stands after the lift.
    assert version.systemic_risk_status == "presumed"
    history = leo.get(reverse("registry:version_detail", args=[version.pk])).text
    assert "Designation lifted (Art. 52(5))" in history


# --- lists, CSV, deadlines ---------------------------------------------------------------------


def test_the_models_list_filters_and_downloads_as_csv(world: dict[str, Any]) -> None:
    tess = signed_in_client(world["tess"])
    url = reverse("registry:model_list")
    both = tess.get(url).text
    assert "Alpha-1" in both and "Beta-1" in both
    only_beta = tess.get(url, {"provider": world["beta"].pk}).text
    assert "Beta-1" in only_beta and "Alpha-1" not in only_beta
    by_name = tess.get(url, {"q": "alpha"}).text
    assert "Alpha-1" in by_name and "Beta-1" not in by_name
    presumed = tess.get(url, {"systemic_risk_status": "presumed"}).text
    assert "Alpha-1" in presumed and "Beta-1" in presumed
    none = tess.get(url, {"systemic_risk_status": "designated"}).text
    assert "Alpha-1" not in none
    fragment = tess.get(url, {"q": "beta"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="model-results">')
    assert "models.csv?q=beta" in fragment.text
    download = tess.get(reverse("registry:model_list_csv"), {"q": "beta"})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][0] == "model"
    assert [row[0] for row in rows[1:]] == ["Beta-1"]
    mine = world["alice"].get(reverse("registry:model_list_csv"))
    assert [r[0] for r in csv.reader(io.StringIO(b"".join(mine.streaming_content).decode()))][
        1:
    ] == ["Alpha-1"]


def test_the_queue_downloads_as_csv_with_its_filters(world: dict[str, Any]) -> None:
    tess = signed_in_client(world["tess"])
    queue = tess.get(reverse("registry:notification_queue"), {"status": "submitted"})
    assert "notifications.csv?status=submitted" in queue.text
    download = tess.get(reverse("registry:notification_queue_csv"), {"status": "submitted"})
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][0] == "tracking_number"
    assert len(rows) == 3


def test_the_deadlines_page_shows_late_notifications_hearings_and_overdue_requests(
    world: dict[str, Any],
) -> None:
    late = _notify(world["alpha_version"], arguments=False, trigger_date=TODAY - timedelta(days=60))
    info = services.notification_request_information(
        actor=world["tess"],
        notification=world["beta_notification"],
        questions="Which data?",
        due_on=TODAY + timedelta(days=1),
    )
    InformationRequest.objects.filter(pk=info.pk).update(due_on=TODAY - timedelta(days=1))
    services.hearing_open(
        actor=world["tess"],
        notification=world["notification"],
        draft_reasons="Draft.",
        opened_on=TODAY - timedelta(days=30),
    )
    page = signed_in_client(world["tess"]).get(reverse("registry:deadlines")).text
    assert late.tracking_number in page
    assert "<strong>Late</strong>" in page
    assert 'data-testid="hearings"' in page
    assert "Period ended: ready for the decision" in page
    assert 'data-testid="overdue"' in page


def test_the_version_page_shows_the_assessment_obligations_and_history(
    world: dict[str, Any],
) -> None:
    version = world["alpha_version"]
    page = world["alice"].get(reverse("registry:version_detail", args=[version.pk])).text
    assert 'data-testid="systemic-risk-status"' in page
    assert 'data-testid="obligations"' in page
    assert "AI Act, Art. 52(1)" in page
    assert 'data-status="applicable">Applies</td>' in page
    assert world["notification"].tracking_number in page
    assert 'data-testid="notify-link"' in page
    assert 'data-testid="reassessment-form"' in page


# --- pinned query counts -----------------------------------------------------------------------


def test_the_models_list_query_count_does_not_grow_with_the_page(
    world: dict[str, Any],
    version_factory: Callable[..., ModelVersion],
    django_assert_num_queries: Any,
) -> None:
    client = signed_in_client(world["tess"])
    url = reverse("registry:model_list")
    with django_assert_num_queries(QUERIES["models_staff"]):
        assert client.get(url).status_code == 200
    for i in range(30):
        version_factory(world["alpha"], model_name=f"Extra-{i:02d}")
    with django_assert_num_queries(QUERIES["models_staff"]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES["models_provider"]):
        assert world["alice"].get(url).status_code == 200


def test_the_queue_and_deadlines_query_counts_are_pinned(
    world: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = signed_in_client(world["tess"])
    for _ in range(3):
        _notify(world["alpha_version"])
    services.hearing_open(
        actor=world["tess"], notification=world["notification"], draft_reasons="Draft."
    )
    for _ in range(2):
        services.notification_request_information(
            actor=world["tess"],
            notification=world["beta_notification"],
            questions="Which data?",
            due_on=TODAY + timedelta(days=5),
        )
    with django_assert_num_queries(QUERIES["queue"]):
        assert client.get(reverse("registry:notification_queue")).status_code == 200
    with django_assert_num_queries(QUERIES["deadlines"]):
        assert client.get(reverse("registry:deadlines")).status_code == 200


QUERIES = {"models_staff": 7, "models_provider": 6, "queue": 6, "deadlines": 10}


def _expected_post(name: str, action: str) -> int:
    """Staff act on any record within their role (an empty form comes back with its
    errors: 200); people outside the Office and the record's provider get a 404."""
    if name == ANONYMOUS:
        return 302
    provider_side = {"withdraw", "add_documents", "answer", "reassessment"}
    if name in STAFF_ROLES:
        if action in provider_side:
            return 403
        if action in {"decide", "designate"}:
            return 200 if name in DECIDERS else 403
        return 200
    if action == "designate":
        return 403
    return 404


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_action_answers_every_principal_by_the_rules(
    world: dict[str, Any], name: str
) -> None:
    notification = world["notification"]
    info = services.notification_request_information(
        actor=world["tess"],
        notification=notification,
        questions="Which data?",
        due_on=TODAY + timedelta(days=5),
    )
    version = world["alpha_version"]
    urls = {
        action: _action(notification, action)
        for action in ("assign", "request_information", "hearing", "decide", "withdraw")
    }
    urls["add_documents"] = _action(notification, "add_documents")
    urls["answer"] = reverse(
        "registry:information_request_answer", args=[notification.tracking_number, info.pk]
    )
    urls["designate"] = reverse("registry:version_designate", args=[version.pk])
    urls["reassessment"] = reverse("registry:reassessment_request", args=[version.pk])
    who = principal(name)
    for action, url in urls.items():
        response = who.client.post(url, {})
        assert response.status_code == _expected_post(name, action), (action, url)
    notification.refresh_from_db()
    assert notification.status == "more_information_requested"
    assert not Decision.objects.exists()
