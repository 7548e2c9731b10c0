"""The checker's pages: public, step by step without JavaScript and with htmx, results that
show aiact's own answer for each example (tier, every obligation with its date, the
differences between the text as amended and as published), EUR-Lex links in the reader's
language, bad input answered 400 naming the question, no database query and no session."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.apps import apps
from django.test import Client

import aiact
from aioffice.core.testing import ALL_PRINCIPALS, principal
from aioffice.portal.checker import _flows, current, read
from aioffice.portal.checker.examples import EXAMPLES, result_path, step_path

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 26)
KIND = {"system": "system", "gpai": "model"}
ITEM = re.compile(
    r'<tr class="ecl-table__row" data-item="(?P<id>[^"]+)" data-state="(?P<state>[^"]*)" '
    r'data-since="(?P<since>[^"]*)"'
)
COMPARED = re.compile(
    r'data-item="(?P<id>[^"]+)">\s*<th[^>]*>.*?</th>\s*'
    r'<td[^>]*data-side="amended" data-state="(?P<a_state>[^"]*)" data-since="(?P<a_since>[^"]*)"'
    r'.*?<td[^>]*data-side="published" data-state="(?P<p_state>[^"]*)" '
    r'data-since="(?P<p_since>[^"]*)"',
    re.DOTALL,
)


def _html(response: Any) -> str:
    return response.content.decode()


def _facts(name: str) -> dict[str, object]:
    example = EXAMPLES[name]
    query = parse_qsl(urlsplit(result_path(example.flow, example.answers)).query)
    grouped: dict[str, list[str]] = {}
    for key, value in query:
        grouped.setdefault(key, []).append(value)
    walk = read(current(example.flow), list(grouped.items()))
    assert walk.complete
    return {**walk.facts(), "as_of": ON.isoformat()}


def _aiact(name: str, law: str = "as-amended") -> dict[str, Any]:
    """aiact's own answer for the example (the page must show this, not a copy)."""
    return aiact.evaluate(KIND[EXAMPLES[name].flow], _facts(name), law=aiact.load_law(law))


def _state(applies: object) -> str:
    return {True: "now", "not_in_force": "from", False: "no"}[applies]  # type: ignore[index]


def _expected_rows(name: str, answer: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    if EXAMPLES[name].flow == "system":
        rows = {
            o["id"]: (_state(o["applies"]), o["applicable_from"] or "")
            for o in answer["obligations"]
        }
        for entry in (*answer["prohibited_practices"], *answer["transparency"]):
            since = date.fromisoformat(entry["applicable_from"])
            rows[entry["id"]] = ("now" if since <= ON else "from", entry["applicable_from"])
        return rows
    out = {}
    for o in answer["obligations"]:
        if o["status"] == "not_applicable":
            out[o["id"]] = ("no", "")
        else:
            out[o["id"]] = (
                "now" if o["status"] == "applicable" else "from",
                o["applicable_from"] or "",
            )
    return out


def _result(client: Client, name: str, prefix: str = "", **extra: str) -> Any:
    example = EXAMPLES[name]
    query = "".join(f"&{k}={v}" for k, v in {"as_of": ON.isoformat(), **extra}.items())
    return client.get(prefix + result_path(example.flow, example.answers) + query)


# --- public pages ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ALL_PRINCIPALS)
def test_the_checker_pages_are_public_for_everyone(who: str) -> None:
    client = principal(who).client
    assert client.get("/compliance-checker/").status_code == 200
    for key in ("system", "gpai"):
        assert client.get(f"/compliance-checker/{key}/").status_code == 200
    assert _result(client, "annex_iii_provider").status_code == 200


def test_the_start_page_offers_both_flows_and_says_nothing_is_stored(client: Client) -> None:
    html = _html(client.get("/compliance-checker/"))
    assert 'href="/compliance-checker/system/"' in html
    assert 'href="/compliance-checker/gpai/"' in html
    assert 'data-testid="nothing-stored"' in html


@pytest.mark.parametrize(
    "path", ["/compliance-checker/robots/", "/compliance-checker/robots/result/"]
)
def test_an_unknown_flow_is_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("param", ["q", "edit"])
def test_an_unknown_question_named_by_the_form_is_400(client: Client, param: str) -> None:
    response = client.get("/compliance-checker/system/", {param: "colour", "role": "provider"})
    assert response.status_code == 400
    assert "colour" in response.content.decode()


def test_head_requests_are_answered(client: Client) -> None:
    assert client.head("/compliance-checker/system/").status_code == 200
    example = EXAMPLES["gpai_small"]
    assert client.head(result_path(example.flow, example.answers)).status_code == 200


def test_wrong_methods_are_405(client: Client) -> None:
    assert client.post("/compliance-checker/system/").status_code == 405
    example = EXAMPLES["annex_iii_provider"]
    assert client.put(result_path(example.flow, example.answers)).status_code == 405


# --- step by step --------------------------------------------------------------------------


def test_the_first_step_asks_the_first_question_as_question_1(client: Client) -> None:
    html = _html(client.get("/compliance-checker/system/"))
    assert 'data-question="role"' in html
    assert "Question 1" in html
    assert 'name="q" value="role"' in html
    assert 'name="v" value="' + current("system").version + '"' in html


def test_an_answer_leads_to_the_next_question_carrying_the_answers_in_hidden_inputs(
    client: Client,
) -> None:
    response = client.get("/compliance-checker/system/", {"q": "role", "role": "deployer"})
    html = _html(response)
    assert response.status_code == 200
    assert 'data-question="exclusions"' in html
    assert '<input type="hidden" name="role" value="deployer">' in html
    assert "Question 2" in html
    assert 'data-change="role"' in html  # a way to change the earlier answer


def test_walking_an_example_through_the_step_pages_ends_on_its_result(client: Client) -> None:
    example = EXAMPLES["annex_iii_provider"]
    given: dict[str, list[str]] = {}
    response = client.get("/compliance-checker/system/")
    while response.status_code == 200:
        question = re.search(r'data-question="([^"]+)"', _html(response))
        assert question is not None
        qid = question.group(1)
        value = example.answers[qid]
        given[qid] = [value] if isinstance(value, str) else list(value)
        response = client.get(
            "/compliance-checker/system/", {**given, "q": qid, "v": current("system").version}
        )
    assert response.status_code == 302
    assert response["Location"] == result_path(example.flow, example.answers)


def test_changing_an_earlier_answer_shows_it_chosen_and_keeps_the_later_answers(
    client: Client,
) -> None:
    example = EXAMPLES["annex_iii_provider"]
    response = client.get(step_path("system", example.answers) + "&edit=role")
    html = _html(response)
    assert 'data-question="role"' in html
    assert 'value="provider" checked' in html
    assert '<input type="hidden" name="annex_iii_4" value="4_a">' in html
    # answering it again with the same role goes straight to the result
    query = {k: v for k, v in parse_qsl(urlsplit(step_path("system", example.answers)).query)}
    changed = client.get(
        "/compliance-checker/system/", {**_multi(example.answers), "q": "role", "v": query["v"]}
    )
    assert changed.status_code == 302
    # another role: the walk goes on, the answers after it are kept when still on the path
    other = client.get(
        "/compliance-checker/system/",
        {**_multi(example.answers), "role": "deployer", "q": "role", "v": query["v"]},
    )
    assert other.status_code == 302
    assert "role=deployer" in other["Location"]


def _multi(answers: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in answers.items()}


def test_the_step_fragment_is_served_to_htmx_and_the_end_redirects_with_hx_redirect(
    client: Client,
) -> None:
    response = client.get(
        "/compliance-checker/gpai/", {"q": "compute", "compute": "flop"}, HTTP_HX_REQUEST="true"
    )
    html = _html(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="checker-step"')
    assert 'data-question="compute_flop"' in html
    assert 'hx-push-url="true"' in html
    assert response["Vary"].count("HX-Request") == 1
    example = EXAMPLES["gpai_small"]
    done = client.get(step_path("gpai", example.answers), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == result_path("gpai", example.answers)


def test_an_old_version_on_a_step_starts_again_with_the_current_questions(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_old_version(monkeypatch)
    response = client.get("/compliance-checker/system/", {"v": "2026-01-01.1", "role": "provider"})
    assert response.status_code == 302
    assert response["Location"] == "/compliance-checker/system/"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"colour": "blue"}, "colour"),
        ({"role": "emperor"}, "What is your role for this AI system?"),
        ({"role": ["provider", "deployer"]}, "What is your role for this AI system?"),
        ({"exclusions": ["none", "military"]}, "Does any of these situations apply"),
    ],
)
def test_bad_answers_are_400_naming_the_question(
    client: Client, extra: dict[str, Any], named: str
) -> None:
    for path in ("/compliance-checker/system/", "/compliance-checker/system/result/"):
        params = {"role": "provider", "exclusions": "military", **extra}
        response = client.get(path, params)
        assert response.status_code == 400, path
        assert named in _html(response)


def test_a_bad_date_on_the_step_page_is_shown_next_to_the_field(client: Client) -> None:
    answers = {**EXAMPLES["prohibited_social_scoring"].answers, "placed_on": "2025-02-30"}
    response = client.get(step_path("system", answers) + "&q=placed_on")
    html = _html(response)
    assert response.status_code == 400
    assert 'data-question="placed_on"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="error-placed_on"' in html
    assert "write a date as year-month-day" in html
    assert 'data-testid="error-summary"' in html


@pytest.mark.parametrize("number", ["lots", "1e999", "-5", "3,5e25", "1.2.3"])
def test_a_bad_number_is_400_naming_the_question(client: Client, number: str) -> None:
    answers = {**EXAMPLES["gpai_systemic"].answers, "compute_flop": number}
    for path in (step_path("gpai", answers), result_path("gpai", answers)):
        response = client.get(path)
        assert response.status_code == 400
        assert "How much compute was used to train the model, in FLOP?" in _html(response)


def test_an_empty_answer_to_the_question_asked_is_400_on_the_same_question(client: Client) -> None:
    response = client.get("/compliance-checker/system/", {"q": "role"})
    assert response.status_code == 400
    assert "choose an answer" in _html(response)
    htmx = client.get("/compliance-checker/system/", {"q": "role"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400
    assert "hx-on::before-swap" in _html(htmx)  # the form lets htmx swap the 400 fragment


def test_a_result_with_a_question_unanswered_is_400_naming_it(client: Client) -> None:
    answers = dict(EXAMPLES["annex_iii_provider"].answers)
    del answers["profiling"]
    response = client.get(result_path("system", answers))
    assert response.status_code == 400
    assert "Does the system perform profiling of natural persons?" in _html(response)


def test_an_unknown_version_or_date_is_400(client: Client) -> None:
    example = EXAMPLES["out_of_scope_military"]
    path = result_path(example.flow, example.answers)
    assert client.get(path.replace("v=", "v=1999-")).status_code == 400
    bad_date = client.get(path + "&as_of=2026-02-30")
    assert bad_date.status_code == 400
    assert "The date the law is applied on" in _html(bad_date)


def test_an_input_error_of_aiact_is_400_naming_the_question_that_set_the_field(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aioffice.portal.checker import _result

    def refuse(*args: object, **kwargs: object) -> None:
        raise aiact.InputError("placed_on_market", "must not be a Sunday")

    monkeypatch.setattr(_result, "_evaluate", refuse)
    response = _result_page(client, "prohibited_social_scoring")
    assert response.status_code == 400
    html = _html(response)
    assert "On what date was the system first placed on the market or put into service?" in html
    assert "must not be a Sunday" in html


def _result_page(client: Client, name: str) -> Any:
    example = EXAMPLES[name]
    return client.get(result_path(example.flow, example.answers))


# --- results: aiact's answer -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_example_shows_aiacts_answer_with_every_obligation_and_its_date(
    client: Client, name: str
) -> None:
    response = _result(client, name)
    assert response.status_code == 200
    html = _html(response)
    amended = _aiact(name)
    shown = {m["id"]: (m["state"], m["since"]) for m in ITEM.finditer(html)}
    assert shown == _expected_rows(name, amended)
    if EXAMPLES[name].flow == "system":
        assert f'data-tier="{amended["tier"]}"' in html
    else:
        assert (
            f'data-testid="gpai" data-value="{"yes" if amended["gpai"]["value"] else "no"}"' in html
        )
        assert f'data-value="{amended["systemic_risk"]["status"]}"' in html
        notified = "yes" if amended["notification"]["required"] else "no"
        assert f'data-testid="notification" data-value="{notified}"' in html
        exempt = "yes" if amended["open_source_exempt"]["value"] else "no"
        assert f'data-testid="open-source" data-value="{exempt}"' in html
    for reason in amended["reasons"] if "reasons" in amended else amended["gpai"]["reasons"]:
        assert _escaped(reason) in html
    assert amended["rules_version"] in html
    assert current(EXAMPLES[name].flow).version in html
    assert 'data-testid="disclaimer"' in html


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return str(escape(text))


def test_the_examples_say_what_their_names_say() -> None:
    assert _aiact("annex_iii_provider")["high_risk"]["route"] == "annex_iii"
    assert _aiact("prohibited_social_scoring")["tier"] == "prohibited"
    assert _aiact("chatbot_deployer")["tier"] == "limited_risk"
    assert _aiact("out_of_scope_military")["tier"] == "out_of_scope"
    assert _aiact("gpai_systemic")["systemic_risk"]["status"] == "presumed"
    assert _aiact("gpai_small")["gpai"]["value"] is False
    assert _aiact("gpai_open_source")["open_source_exempt"]["value"] is True
    assert _aiact("gpai_modifier")["provider"]["value"] == "modifier_is_provider"


def test_the_recruitment_system_shows_article_16_as_amended_and_as_published_side_by_side(
    client: Client,
) -> None:
    html = _html(_result(client, "annex_iii_provider"))
    amended = {o["id"]: o for o in _aiact("annex_iii_provider")["obligations"]}
    published = {o["id"]: o for o in _aiact("annex_iii_provider", "as-published")["obligations"]}
    art16_a, art16_p = (
        amended["art16_provider_obligations"],
        published["art16_provider_obligations"],
    )
    assert art16_a["applicable_from"] != art16_p["applicable_from"]
    compared = {m["id"]: m.groupdict() for m in COMPARED.finditer(html)}
    row = compared["art16_provider_obligations"]
    assert row["a_since"] == art16_a["applicable_from"]
    assert row["p_since"] == art16_p["applicable_from"]
    assert (row["a_state"], row["p_state"]) == (
        _state(art16_a["applies"]),
        _state(art16_p["applies"]),
    )
    assert "high_risk" in compared
    assert 'data-testid="no-difference"' not in html


def test_a_result_without_difference_between_the_texts_says_so(client: Client) -> None:
    html = _html(_result(client, "out_of_scope_military"))
    assert 'data-testid="no-difference"' in html
    assert 'data-testid="comparison-table"' not in html


def test_the_law_can_be_applied_on_another_date(client: Client) -> None:
    later = _result(client, "annex_iii_provider", as_of="2027-12-02")
    facts = {**_facts("annex_iii_provider"), "as_of": "2027-12-02"}
    tier = aiact.evaluate("system", facts, law=aiact.load_law("as-amended"))["tier"]
    assert f'data-tier="{tier}"' in _html(later)
    assert 'value="2027-12-02"' in _html(later)
    assert "as_of=2027-12-02" in re.search(
        r'id="share-link"[^>]*value="([^"]+)"', _html(later)
    ).group(1)  # type: ignore[union-attr]


def test_without_a_date_the_law_is_applied_today(client: Client) -> None:
    from django.utils import timezone

    html = _html(_result_page(client, "out_of_scope_military"))
    assert f'value="{timezone.now().date().isoformat()}"' in html


@pytest.mark.parametrize(("prefix", "lang"), [("", "EN"), ("/fr", "FR"), ("/de", "DE")])
def test_provisions_link_to_eurlex_in_the_readers_language(
    client: Client, prefix: str, lang: str
) -> None:
    html = _html(_result(client, "annex_iii_provider", prefix=prefix))
    assert (
        f"https://eur-lex.europa.eu/legal-content/{lang}/TXT/?uri=CELEX:32024R1689#art_16" in html
    )
    assert f"https://eur-lex.europa.eu/legal-content/{lang}/TXT/?uri=CELEX:32026R1744#art_1" in html
    others = {"EN", "FR", "DE"} - {lang}
    assert not any(f"legal-content/{o}/" in html for o in others)


def test_citations_without_an_eli_are_shown_without_a_link(client: Client) -> None:
    html = _html(_result(client, "gpai_systemic"))
    assert "GPAI Guidelines" in html
    assert not re.search(r"<a [^>]*>GPAI Guidelines", html)


def test_the_share_link_is_the_result_address_with_the_answers_only(client: Client) -> None:
    html = _html(_result_page(client, "chatbot_deployer"))
    link = re.search(r'id="share-link"[^>]*value="([^"]+)"', html)
    assert link is not None
    example = EXAMPLES["chatbot_deployer"]
    assert unescape(link.group(1)) == "http://testserver" + result_path(
        example.flow, example.answers
    )


def test_the_print_view_is_a_clean_page_with_answers_result_and_citations(client: Client) -> None:
    response = _result(client, "annex_iii_provider", print="1")
    html = _html(response)
    assert response.status_code == 200
    assert 'data-testid="print-view"' in html
    assert "Main navigation" not in html
    assert 'data-testid="answers"' in html
    assert 'data-testid="provisions"' in html
    assert "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689#art_6" in html
    assert 'data-change="' not in html


def test_an_old_link_is_still_computed_with_a_notice_that_the_questions_changed(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_old_version(monkeypatch)
    example = EXAMPLES["out_of_scope_military"]
    path = result_path(example.flow, example.answers).replace(
        f"v={current('system').version}", "v=2026-01-01.1"
    )
    response = client.get(path)
    html = _html(response)
    assert response.status_code == 200
    assert 'data-testid="old-version"' in html
    assert 'data-tier="out_of_scope"' in html
    assert 'data-change="' not in html  # answers of old questions are not edited


def _with_old_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend the system flow had an earlier version 2026-01-01.1 (same questions)."""
    registry = _flows._registry()
    now = current("system")
    old = _flows.Flow(now.key, "2026-01-01.1", now.title, now.summary, now.questions)
    flows = {**registry.flows, "system": {**registry.flows["system"], old.version: old}}
    monkeypatch.setattr(_flows, "_registry", lambda: _flows._Registry(flows, registry.current))


# --- nothing stored, nothing queried -----------------------------------------------------


def test_the_result_and_step_pages_make_no_database_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    example = EXAMPLES["annex_iii_provider"]
    with django_assert_num_queries(0):
        assert client.get(result_path(example.flow, example.answers)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(step_path("gpai", {"compute": "flop"})).status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/compliance-checker/").status_code == 200


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_a_walk_through_the_checker_stores_nothing_and_sets_no_session(client: Client) -> None:
    before = _row_counts()
    example = EXAMPLES["gpai_modifier"]
    client.get("/compliance-checker/")
    step = client.get(step_path("gpai", example.answers))
    assert step.status_code == 302
    for name in EXAMPLES:
        assert _result(client, name).status_code == 200
    assert _row_counts() == before
    assert "sessionid" not in client.cookies
    assert "sessionid" not in step.cookies


def test_a_results_body_is_kept_per_answers_date_language_and_rules() -> None:
    from aioffice.portal.views_checker import body_key

    base = {
        "flow": "system",
        "version": "v1",
        "query": "role=provider",
        "on": date(2026, 11, 26),
        "language": "en",
        "rules_version": "r1",
    }
    key = body_key(**base)
    assert body_key(**base) == key
    for change in (
        {"query": "role=deployer"},
        {"on": date(2026, 11, 27)},
        {"language": "fr"},
        {"rules_version": "r2"},
        {"version": "v2"},
        {"flow": "gpai"},
    ):
        assert body_key(**{**base, **change}) != key, change


def test_the_cached_body_is_served_in_each_language_and_for_each_date() -> None:
    from django.core.cache import cache

    cache.clear()
    path = result_path(EXAMPLES["annex_iii_provider"].flow, EXAMPLES["annex_iii_provider"].answers)
    client = Client()
    english = client.get(path).content.decode()

    def body(html: str) -> str:  # the cached part: from the tier to the share section
        return html[html.index('data-testid="tier"') : html.index('id="share-heading"')]

    assert body(client.get(path).content.decode()) == body(english)  # from the cache
    french = client.get(f"/fr{path}").content.decode()
    assert "CELEX:32024R1689" in french
    assert "/FR/TXT/" in french and "/EN/TXT/" not in french
    later = client.get(f"{path}&as_of=2028-01-01").content.decode()
    assert body(later) != body(english)
    aiact_later = aiact.evaluate(
        "system",
        {"as_of": "2028-01-01", "role": "provider", "annex_iii": "4_a", "profiling": True},
        law=aiact.load_law("as-amended"),
    )
    assert aiact_later["tier"] == "high_risk"
    assert 'data-tier="high_risk"' in later
