"""The pages of the portal's help for the public: the public pages for everyone, every staff
page for every principal, search and filters, pinned query counts, a question from the form
to its answer (tracking number, e-mailed link, the status page with the right key only),
bad input named next to its field, the rate limit, and the report hub's links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.formats import date_format

from aioffice.accounts.choices import OFFICE_ROLES, Role
from aioffice.core.testing import ALL_PRINCIPALS, ANONYMOUS, principal, signed_in_client
from aioffice.portal import urls_help
from aioffice.portal.choices import EnquiryStatus
from aioffice.portal.models_help import (
    Enquiry,
    LiteracyPractice,
    SupportStructure,
)
from aioffice.registry.choices import MEMBER_STATE_NAMES

from .test_help_services import (
    PRACTICE,
    QUESTION,
    STRUCTURE,
    enquiry,
    enquiry_row,
    practice,
    structure,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "contact",
    "enquiry_new",
    "enquiry_status",
    "literacy_list",
    "literacy_share",
    "literacy_detail",
    "support_list",
    "report",
    "accessibility",
}


def _world() -> dict[str, Any]:
    sent = enquiry()
    return {
        "practice": practice(),
        "structure": structure(),
        "sent": sent,
        "enquiry": sent.enquiry,
        "answerable": enquiry_row(subject="Another"),
        "closable": enquiry_row(subject="A third"),
    }


def _pages(w: dict[str, Any]) -> list[tuple[str, str, dict[str, Any] | None]]:
    p, s, e = w["practice"].pk, w["structure"].pk, w["enquiry"]
    return [
        ("contact", reverse("portal:contact"), None),
        ("enquiry_new", reverse("portal:enquiry_new"), None),
        (
            "enquiry_status",
            reverse("portal:enquiry_status", args=[e.tracking_number, w["sent"].key]),
            None,
        ),
        ("literacy_list", reverse("portal:literacy_list"), None),
        ("literacy_share", reverse("portal:literacy_share"), None),
        ("literacy_detail", reverse("portal:literacy_detail", args=[p]), None),
        ("support_list", reverse("portal:support_list"), None),
        ("report", reverse("portal:report"), None),
        ("accessibility", reverse("portal:accessibility"), None),
        ("literacy_admin_list", reverse("portal:literacy_admin_list"), None),
        ("literacy_admin_new", reverse("portal:literacy_admin_new"), None),
        ("literacy_admin_edit", reverse("portal:literacy_admin_edit", args=[p]), None),
        (
            "literacy_admin_publish",
            reverse("portal:literacy_admin_publish", args=[p]),
            {"publish": "0"},
        ),
        ("support_admin_list", reverse("portal:support_admin_list"), None),
        ("support_admin_new", reverse("portal:support_admin_new"), None),
        ("support_admin_edit", reverse("portal:support_admin_edit", args=[s]), None),
        ("enquiry_admin_list", reverse("portal:enquiry_admin_list"), None),
        ("enquiry_admin_detail", reverse("portal:enquiry_admin_detail", args=[e.pk]), None),
        (
            "enquiry_admin_answer",
            reverse("portal:enquiry_admin_answer", args=[w["answerable"].pk]),
            {"answer-answer": "Yes."},
        ),
        (
            "enquiry_admin_close",
            reverse("portal:enquiry_admin_close", args=[w["closable"].pk]),
            {"close-reason": "Duplicate."},
        ),
    ]


def _expected(name: str, page: str, method_post: bool) -> int:
    if page in PUBLIC_PAGES:
        return 200
    if name == ANONYMOUS:
        return 302  # to the sign-in page
    if name not in OFFICE_ROLES:
        return 403
    return 302 if method_post else 200  # done: back to the object's page


def test_the_page_matrix_covers_every_help_page() -> None:
    names = {p.name for p in urls_help.urlpatterns}
    fake: dict[str, Any] = {
        "practice": LiteracyPractice(pk=1),
        "structure": SupportStructure(pk=1),
        "enquiry": Enquiry(pk=1, tracking_number="Q-2026-000001"),
        "answerable": Enquiry(pk=2),
        "closable": Enquiry(pk=3),
    }
    fake["sent"] = type("Sent", (), {"key": "k"})
    assert {page for page, _, _ in _pages(fake)} == names


@pytest.mark.parametrize("name", ALL_PRINCIPALS)
def test_every_page_for_every_principal(name: str) -> None:
    who = principal(name)
    world = _world()
    for page, url, data in _pages(world):
        response = who.client.post(url, data) if data is not None else who.client.get(url)
        assert response.status_code == _expected(name, page, data is not None), (name, page)
        if response.status_code == 302 and name == ANONYMOUS:
            assert reverse("accounts:login") in response["Location"]


def test_staff_without_their_second_factor_go_to_it() -> None:
    from aioffice.core.testing import make_user

    client = signed_in_client(make_user(Role.POLICY_OFFICER), second_factor=False)
    response = client.get(reverse("portal:enquiry_admin_list"))
    assert response.status_code == 302 and "second" in response["Location"]


def test_wrong_methods_and_unknown_objects() -> None:
    client = Client()
    assert client.post(reverse("portal:literacy_list")).status_code == 405
    assert client.post(reverse("portal:report")).status_code == 405
    assert client.post(reverse("portal:accessibility")).status_code == 405
    assert client.get(reverse("portal:literacy_detail", args=[99])).status_code == 404
    assert client.get("/ai-literacy/99999999999999999999/").status_code == 404
    staff = principal(Role.POLICY_OFFICER).client
    assert staff.get(reverse("portal:enquiry_admin_answer", args=[1])).status_code == 405
    assert staff.get(reverse("portal:enquiry_admin_detail", args=[42])).status_code == 404
    assert staff.get("/office/portal/support/99999999999999999999/").status_code == 404


# --- the literacy repository ---------------------------------------------------------------


def test_only_published_practices_are_public() -> None:
    hidden = practice(published=False, title="Draft practice")
    shown = practice(title="Shown practice")
    client = Client()
    page = client.get(reverse("portal:literacy_list")).content.decode()
    assert "Shown practice" in page and "Draft practice" not in page
    assert client.get(reverse("portal:literacy_detail", args=[hidden.pk])).status_code == 404
    detail = client.get(reverse("portal:literacy_detail", args=[shown.pk])).content.decode()
    assert "Fjord Dairy Cooperative (fictional)" in detail and "Denmark" in detail


def test_search_and_filters() -> None:
    practice(title="Hospital prompts", sector="health", organisation_size="large")
    practice(title="Bakery basics", sector="retail", organisation_size="micro", member_state="FR")
    practice(title="Ministry course", sector="public_administration", language="fr")
    client = Client()
    url = reverse("portal:literacy_list")

    def titles(**query: str) -> list[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return [p.title for p in response.context["page"].object_list]

    assert titles(q="HOSPITAL") == ["Hospital prompts"]
    assert titles(q="fjord") == ["Bakery basics", "Hospital prompts", "Ministry course"]
    assert titles(sector="retail") == ["Bakery basics"]
    assert titles(organisation_size="micro") == ["Bakery basics"]
    assert titles(member_state="FR") == ["Bakery basics"]
    assert titles(language="fr") == ["Ministry course"]
    assert titles(sector="health", organisation_size="micro") == []
    response = client.get(url, {"sector": "astrology"})
    assert response.status_code == 200
    assert "sector" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_filters_are_kept_across_pages() -> None:
    for n in range(25):
        practice(title=f"Practice {n:02d}", sector="health")
    practice(title="Elsewhere", sector="retail")
    client = Client()
    response = client.get(reverse("portal:literacy_list"), {"sector": "health"})
    assert response.context["page"].paginator.count == 25
    assert "?page=2&amp;sector=health" in response.content.decode()
    second = client.get(reverse("portal:literacy_list"), {"sector": "health", "page": 2})
    assert [p.title for p in second.context["page"].object_list][-1] == "Practice 24"


def test_htmx_gets_only_the_results() -> None:
    practice()
    response = Client().get(
        reverse("portal:literacy_list"), {"q": "fjord"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert 'id="literacy-results"' in body and "<html" not in body
    # the count refills the live region that stays on the page (not swapped itself)
    assert '<div id="literacy-status" hx-swap-oob="innerHTML">' in body
    assert 'data-testid="literacy-count">1 practice<' in body
    page = Client().get(reverse("portal:literacy_list"), {"q": "fjord"}).content.decode()
    assert '<div id="literacy-status" role="status">' in page and "hx-swap-oob" not in page


@pytest.mark.parametrize("rows", [3, 45])
def test_the_public_lists_query_counts_are_pinned(
    rows: int, django_assert_num_queries: Any
) -> None:
    for n in range(rows):
        practice(title=f"Practice {n:02d}")
        structure(name=f"Structure {n:02d}", member_state=("FR", "DE", "IT")[n % 3])
    client = Client()
    with django_assert_num_queries(2):  # count, page
        assert client.get(reverse("portal:literacy_list"), {"q": "practice"}).status_code == 200
    with django_assert_num_queries(3):  # overview, count, page
        assert client.get(reverse("portal:support_list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 45])
def test_the_staff_lists_query_counts_are_pinned(
    rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        practice(title=f"Practice {n:02d}", published=n % 2 == 0)
        structure(name=f"Structure {n:02d}")
        enquiry(subject=f"Question {n}")
    client = principal(Role.POLICY_OFFICER).client
    for name in ("literacy_admin_list", "support_admin_list", "enquiry_admin_list"):
        with django_assert_max_num_queries(8):  # session, user, memberships, device + count, page
            assert client.get(reverse(f"portal:{name}")).status_code == 200


def test_staff_add_edit_and_publish_a_practice() -> None:
    client = principal(Role.TECHNICAL_OFFICER).client
    response = client.post(reverse("portal:literacy_admin_new"), {**PRACTICE, "sector": ""})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"sector"}
    assert 'data-testid="error-summary"' in response.content.decode()
    response = client.post(reverse("portal:literacy_admin_new"), PRACTICE)
    made = LiteracyPractice.objects.get()
    assert response["Location"] == reverse("portal:literacy_admin_edit", args=[made.pk])
    assert not made.published
    edit = client.get(response["Location"])
    assert edit.context["form"].initial["title"] == PRACTICE["title"]
    response = client.post(
        reverse("portal:literacy_admin_edit", args=[made.pk]), {**PRACTICE, "title": "Renamed"}
    )
    assert response.status_code == 302
    client.post(reverse("portal:literacy_admin_publish", args=[made.pk]), {"publish": "1"})
    made.refresh_from_db()
    assert made.title == "Renamed" and made.published
    assert Client().get(reverse("portal:literacy_detail", args=[made.pk])).status_code == 200
    waiting = client.get(reverse("portal:literacy_admin_list"), {"state": "waiting"})
    assert waiting.context["page"].paginator.count == 0


def test_anyone_proposes_a_practice_that_waits_for_review() -> None:
    client = Client()
    url = reverse("portal:literacy_share")
    response = client.post(url, {**PRACTICE, "description": ""})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"description"}
    response = client.post(url, {**PRACTICE, "url": "fjord.example.org/ai"})
    assert response.status_code == 200
    proposed = LiteracyPractice.objects.get()
    assert proposed.proposed_by_public and not proposed.published
    assert proposed.url == "https://fjord.example.org/ai"
    staff = principal(Role.POLICY_OFFICER).client
    listed = staff.get(reverse("portal:literacy_admin_list"), {"state": "waiting"})
    assert "proposed by the public" in listed.content.decode()


@override_settings(PORTAL_FORM_RATE=2)
def test_the_share_form_is_rate_limited() -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    url = reverse("portal:literacy_share")
    for _ in range(2):
        assert client.post(url, PRACTICE).status_code == 200
    response = client.post(url, PRACTICE)
    assert response.status_code == 429
    assert 'data-testid="too-many"' in response.content.decode()
    assert LiteracyPractice.objects.count() == 2


# --- the directory of support structures ---------------------------------------------------


def test_the_directory_by_member_state_and_kind_with_the_sandbox_date() -> None:
    structure()
    structure(name="Hub Rhein (demo)", kind="edih", member_state="DE")
    structure(name="Hidden (demo)", active=False)
    client = Client()
    page = client.get(reverse("portal:support_list"))
    body = page.content.decode()
    assert "National AI regulatory sandbox (demo)" in body and "Hidden (demo)" not in body
    assert 'data-testid="sandbox-obligation"' in body and "2027" in body and "2026/1744" in body
    assert len(page.context["overview"]) == 27
    assert body.count("None listed yet") == 26  # France has its sandbox
    germany = client.get(reverse("portal:support_list"), {"member_state": "DE"})
    assert [s.name for s in germany.context["page"].object_list] == ["Hub Rhein (demo)"]
    sandboxes = client.get(reverse("portal:support_list"), {"kind": "sandbox"})
    assert [s.name for s in sandboxes.context["page"].object_list] == [STRUCTURE["name"]]
    bad = client.get(reverse("portal:support_list"), {"member_state": "XX"})
    assert bad.status_code == 200 and "member_state" in bad.context["form"].errors


def test_country_names_go_through_gettext_and_follow_the_reader_s_language() -> None:
    from django.utils.functional import Promise

    assert all(isinstance(name, Promise) for name in MEMBER_STATE_NAMES.values())
    structure(member_state="DE", name="Hub (demo)")
    with translation.override("de"):  # the request's language does not outlive the test
        response = Client().get(reverse("portal:support_list"))
    assert response.status_code == 200
    assert response.content.decode().startswith('<!DOCTYPE html>\n\n<html lang="de"')


def test_staff_add_and_edit_a_structure() -> None:
    client = principal(Role.ADMINISTRATOR).client
    response = client.post(reverse("portal:support_admin_new"), {**STRUCTURE, "email": "nope"})
    assert response.status_code == 422 and set(response.context["form"].errors) == {"email"}
    response = client.post(reverse("portal:support_admin_new"), STRUCTURE)
    made = SupportStructure.objects.get()
    assert response["Location"] == reverse("portal:support_admin_edit", args=[made.pk])
    data = {**STRUCTURE, "operational": "", "city": "Lyon"}
    assert client.post(response["Location"], data).status_code == 302
    made.refresh_from_db()
    assert made.city == "Lyon" and made.operational is False


# --- contact, questions and the report hub -------------------------------------------------


@override_settings(PORTAL_ENQUIRY_RETENTION_DAYS=365)
def test_a_question_from_the_form_to_its_answer(django_capture_on_commit_callbacks: Any) -> None:
    client = Client()
    form = client.get(reverse("portal:enquiry_new"))
    assert "365 days" in form.content.decode()
    assert form["Cache-Control"] == "no-store"
    # the site's referrer policy: with no-referrer Chromium posts `Origin: null` (CSRF 403)
    assert form.get("Referrer-Policy") != "no-referrer"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:enquiry_new"), {**QUESTION, "consent": "on"})
    assert response.status_code == 200
    row = Enquiry.objects.get()
    body = response.content.decode()
    assert re.fullmatch(r"Q-\d{4}-\d{6}", row.tracking_number)
    assert row.tracking_number in body
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/contact/question/\S+/)", message.body)
    assert link is not None, message.body
    status = client.get(link.group(1))
    assert status.status_code == 200
    assert status["Referrer-Policy"] == "no-referrer" and status["Cache-Control"] == "no-store"
    assert row.subject in status.content.decode()
    assert "ana@example.org" not in status.content.decode()
    wrong = link.group(1).rstrip("/")[:-3] + "abc/"
    assert client.get(wrong).status_code == 404
    unknown = link.group(1).replace(row.tracking_number, "Q-2026-999999")
    assert client.get(unknown).status_code == 404

    staff = principal(Role.LEGAL_OFFICER).client
    queue = staff.get(reverse("portal:enquiry_admin_list"), {"status": "received"})
    assert row.tracking_number in queue.content.decode()
    detail = staff.get(reverse("portal:enquiry_admin_detail", args=[row.pk]))
    assert "ana@example.org" in detail.content.decode()
    url = reverse("portal:enquiry_admin_answer", args=[row.pk])
    empty = staff.post(url, {"answer-answer": ""})
    assert empty.status_code == 422 and "answer" in empty.context["forms"]["answer"].errors
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(url, {"answer-answer": "No, not by itself."})
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.status == EnquiryStatus.ANSWERED
    assert "No, not by itself." in mail.outbox[-1].body
    assert "No, not by itself." in client.get(link.group(1)).content.decode()
    again = staff.post(url, {"answer-answer": "Twice"})
    assert again.status_code == 422 and "already" in again.content.decode()
    answered = staff.get(reverse("portal:enquiry_admin_list"), {"status": "answered"})
    assert answered.context["page"].paginator.count == 1


def test_closing_a_question_without_answer_shows_the_reason_to_the_sender() -> None:
    sent = enquiry()
    staff = principal(Role.HEAD_OF_UNIT).client
    url = reverse("portal:enquiry_admin_close", args=[sent.enquiry.pk])
    assert staff.post(url, {"close-reason": ""}).status_code == 422
    assert staff.post(url, {"close-reason": "Out of scope."}).status_code == 302
    page = Client().get(
        reverse("portal:enquiry_status", args=[sent.enquiry.tracking_number, sent.key])
    )
    assert "Out of scope." in page.content.decode()


def test_bad_input_on_the_question_form_is_named_next_to_each_field() -> None:
    client = Client()
    response = client.post(reverse("portal:enquiry_new"), {"email": "nope", "language": "xx"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"email", "subject", "message", "language", "consent"}
    body = response.content.decode()
    assert 'data-testid="error-summary"' in body
    assert 'aria-describedby="id_email-error"' in body and 'id="id_email-error"' in body
    assert 'href="#id_consent"' in body
    assert not Enquiry.objects.exists()


@override_settings(PORTAL_FORM_RATE=2)
def test_the_question_form_is_rate_limited_per_client() -> None:
    client = Client(REMOTE_ADDR="198.51.100.9")
    url = reverse("portal:enquiry_new")
    for _ in range(2):
        assert client.post(url, {**QUESTION, "consent": "on"}).status_code == 200
    response = client.post(url, {**QUESTION, "consent": "on"})
    assert response.status_code == 429
    assert 'data-testid="too-many"' in response.content.decode()
    assert Enquiry.objects.count() == 2
    other = Client(REMOTE_ADDR="198.51.100.10")
    assert other.post(url, {**QUESTION, "consent": "on"}).status_code == 200


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"#]+)', html)


@pytest.mark.parametrize("name", [ANONYMOUS, Role.ORGANISATION_MEMBER])
def test_the_report_hub_and_contact_links_resolve(name: str) -> None:
    client = principal(name).client
    for page in ("portal:report", "portal:contact"):
        html = client.get(reverse(page)).content.decode()
        main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
        internal = [link for link in _links(main) if link.startswith("/")]
        assert internal, page
        for link in internal:
            path = urlsplit(link.replace("&amp;", "&")).path
            resolve(path)  # raises Resolver404 for a dead link
    hub = client.get(reverse("portal:report")).content.decode()
    for target in (
        "supervision:complaint_new",
        "supervision:whistleblower_new",
        "supervision:incident_new",
        "supervision:alert_new",
        "portal:enquiry_new",
    ):
        assert reverse(target) in hub, target
    if name == ANONYMOUS:
        assert f"{reverse('accounts:login')}?next={reverse('supervision:complaint_new')}" in hub


# --- the accessibility statement -----------------------------------------------------------


def test_the_accessibility_statement_says_what_the_law_asks_and_is_in_every_footer() -> None:
    """Directive (EU) 2016/2102 Art. 7: the compliance status with the gaps, how the site was
    assessed and when, a way to report a problem, and where to turn next."""
    from aioffice.portal.views_help import ACCESSIBILITY_STATEMENT_DATE

    html = Client().get(reverse("portal:accessibility")).content.decode()
    for section in ("status", "gaps", "assessment", "feedback", "enforcement"):
        assert f'data-testid="statement-{section}"' in html, section
    status = html.split('data-testid="statement-status"')[1].split("</section>")[0]
    assert "WCAG) 2.1" in status and "EN 301 549" in status and "partially compliant" in status
    gaps = html.split('data-testid="statement-gaps"')[1].split("</section>")[0]
    assert "English only" in gaps and "Swagger UI" in gaps
    assessment = html.split('data-testid="statement-assessment"')[1].split("</section>")[0]
    assert "axe-core" in assessment
    with translation.override("en"):
        assert date_format(ACCESSIBILITY_STATEMENT_DATE) in assessment
    feedback = html.split('data-testid="statement-feedback"')[1].split("</section>")[0]
    assert f'href="{reverse("portal:enquiry_new")}"' in feedback
    assert "European Ombudsman" in html.split('data-testid="statement-enforcement"')[1]
    # linked from every page's footer
    for page in ("portal:home", "portal:contact"):
        footer = Client().get(reverse(page)).content.decode().split('data-testid="footer-links"')[1]
        assert f'href="{reverse("portal:accessibility")}"' in footer.split("</ul>")[0], page
