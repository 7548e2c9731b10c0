"""Pages of the EU database: the public part (search, entry, JSON, CSV), the registrants'
pages (their entries, a registration per section, status, withdrawal) and the Office's
list with each entry's history and audit trail.

Every read goes through `selectors_database` with the reader's `Scope`: an entry the reader
does not see is a 404 wherever it is asked for. They parse, call one service or selector,
and render."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aioffice.cooperation import selectors_database as selectors
from aioffice.cooperation import services_database as services
from aioffice.cooperation.forms_database import (
    AdminSearchForm,
    RegistrationForm,
    SearchForm,
    StatusForm,
    WithdrawForm,
)
from aioffice.cooperation.models_database import Section
from aioffice.cooperation.permissions_database import (
    SECTIONS_BY_KIND,
    Scope,
    may_manage,
    registering_organisations,
    scope_of_request,
)
from aioffice.core.exports import csv_response
from aioffice.core.files import download
from aioffice.core.forms import add_service_errors
from aioffice.core.htmx import is_htmx, render_page_or_fragment
from aioffice.core.permissions import is_office_staff, login_required, require

PAGE_SIZE = 20
TEXT_COUNT_CAP = 1000  # a text search's page counts its matches up to here ("more than")
FILTERS_CACHE_SECONDS = 3600  # the form depends on the language and the search only
JSON_PAGE_SIZE = 50
# written into a page kept whole for visitors without a session, in place of their CSRF
# token, which replaces it when the page is served
CSRF_PLACEHOLDER = "aioffice-eu-database-csrf-token"
# the words of a search in the filter form kept per choice of filters
WORDS_PLACEHOLDER = "aioffice-eu-database-search-words"
CSV_HEADER = (
    "number",
    "section",
    "annex_iii_point",
    "provider_or_deployer",
    "trade_name",
    "reference",
    "intended_purpose",
    "status",
    "member_states",
    "registered_at",
    "provider_entry",
    "visibility",
)


def _rwt_url() -> str:
    """The public list of real-world tests, once the sandboxes part provides it."""
    try:
        return reverse("cooperation:rwt_public")
    except NoReverseMatch:
        return ""


def _page(results: selectors.Results, number: Any, size: int) -> Any:
    return Paginator(results, size).get_page(number)  # type: ignore[arg-type]  # counts and slices like a queryset


def _with_links(page: Any, *, admin: bool = False) -> Any:
    """A page's entries with the URLs of their pages (and of a section C entry's provider
    entry), reversed once a page rather than once a row."""
    name = "cooperation:database_admin_detail" if admin else "cooperation:database_detail"
    marker = "NUMBER"
    entry_url = reverse(name, args=[marker])
    public_url = reverse("cooperation:database_detail", args=[marker])
    for item in page.object_list:
        item["url"] = entry_url.replace(marker, quote(item["number"]))
        if item["system"]:
            item["system_href"] = public_url.replace(marker, quote(item["system"]))
    return page


# --- the public part ---------------------------------------------------------------------------


def _filters_html(request: HttpRequest, form: SearchForm) -> str:
    """The filter form, rendered once per language and choice of filters (its widgets cost
    more than the rest of the page): the words are written into the text field afterwards,
    escaped as the widget escapes them. A form with errors is rendered each time."""
    if form.is_bound and not form.is_valid():
        return render_to_string("cooperation/database/_filters.html", {"form": form}, request)
    chosen = {k: v for k, v in form.query().items() if k != "q"}
    words = str(form["q"].value() or "")
    if words:
        chosen["q"] = WORDS_PLACEHOLDER
    digest = hashlib.sha256(urlencode(chosen).encode()).hexdigest()[:32]
    key = f"cooperation:eudb:filters:{get_language()}:{digest}"
    html: str | None = cache.get(key)
    if html is None:
        html = render_to_string(
            "cooperation/database/_filters.html", {"form": SearchForm(chosen or None)}, request
        )
        cache.set(key, html, FILTERS_CACHE_SECONDS)
    if words:
        html = html.replace(WORDS_PLACEHOLDER, escape(words))
    return mark_safe(html)  # noqa: S308  (rendered by the template, the words escaped)


def _whole_page_key(request: HttpRequest, scope: Scope) -> str | None:
    """The key of a whole public page (search, entry) for a visitor without a session (no
    user, no messages: the page around the results is then the same for every such visitor
    but for the CSRF token), per language and path under the audit chain's head (any write
    of the database appends an audit event, which moves it); None otherwise."""
    if not scope.is_public:
        return None
    if is_htmx(request):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    if CookieStorage.cookie_name in request.COOKIES:
        return None
    if request.user.is_authenticated:
        return None
    head = selectors.audit_head()
    if not head:
        return None
    request.eudb_head = head  # type: ignore[attr-defined]  # read once a request
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"cooperation:eudb:page:{head}:{get_language()}:{digest}"


def _kept(request: HttpRequest, page_key: str | None, *, page: bool = True) -> HttpResponse | None:
    """The page kept under `page_key`, with the visitor's CSRF token (`page`; else the body
    as kept), or None."""
    kept: str | None = cache.get(page_key) if page_key else None
    if kept is None:
        return None
    if not page:
        return HttpResponse(kept, content_type="application/json")
    return HttpResponse(kept.replace(CSRF_PLACEHOLDER, get_token(request)))


def _render_kept(
    request: HttpRequest, page_key: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a whole page, keep it under `page_key` with a placeholder where the CSRF
    token goes, and answer it with the visitor's token."""
    context["csrf_token"] = CSRF_PLACEHOLDER  # over the context processor's
    whole = render_to_string(template, context, request)
    cache.set(page_key, whole, selectors.CACHE_SECONDS)
    return HttpResponse(whole.replace(CSRF_PLACEHOLDER, get_token(request)))


@require_GET
def database_search(request: HttpRequest) -> HttpResponse:
    """The public part: search and filters, paginated; readers who see the secure section
    (or their own organisation's entries) find those too, marked. For the public, the
    rendered results are kept in the cache per search, page and language under the audit
    chain's head (`selectors.Results.cache_key`): they show nothing that varies by visitor;
    for a visitor without a session the whole page is kept (`_whole_page_key`)."""
    scope = scope_of_request(request)
    page_key = _whole_page_key(request, scope)
    kept = _kept(request, page_key)
    if kept is not None:
        kept["Vary"] = "HX-Request"
        return kept
    form = SearchForm(request.GET or None)
    # a page kept whole needs neither its rows nor its results kept apart
    results = selectors.search(
        scope,
        form.filters(),
        cap=TEXT_COUNT_CAP,
        keep_rows=not page_key,
        head=getattr(request, "eudb_head", None),
    )
    page = _with_links(_page(results, request.GET.get("page"), PAGE_SIZE))
    query = urlencode(form.query())
    context = {
        "form": form,
        "filters_html": _filters_html(request, form),
        "page": page,
        "query": query,
        "scope": scope,
        "rwt_url": _rwt_url(),
    }
    key = (
        None if page_key else results.cache_key(f"html:{get_language()}:{page.number}:{PAGE_SIZE}")
    )
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string("cooperation/database/search.html#results", context, request)
        if key:
            cache.set(key, html, selectors.CACHE_SECONDS)
    if is_htmx(request):
        response = HttpResponse(html)
    elif page_key:
        context["results"] = mark_safe(html)  # noqa: S308  (rendered by the template)
        response = _render_kept(request, page_key, "cooperation/database/search.html", context)
    else:
        context["results"] = mark_safe(html)  # noqa: S308  (rendered by the template)
        response = render(request, "cooperation/database/search.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def database_json(request: HttpRequest) -> HttpResponse:
    """The same search, machine-readable: one page of entries as JSON; kept whole for a
    visitor without a session (`_whole_page_key`)."""
    scope = scope_of_request(request)
    page_key = _whole_page_key(request, scope)
    kept = _kept(request, page_key, page=False)
    if kept is not None:
        return kept
    form = SearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = [
            {"field": f, "message": " ".join(str(e) for e in m)} for f, m in form.errors.items()
        ]
        return JsonResponse({"code": "invalid", "errors": errors}, status=422)
    results = selectors.search(
        scope, form.filters(), keep_rows=not page_key, head=getattr(request, "eudb_head", None)
    )
    page = _page(results, request.GET.get("page"), JSON_PAGE_SIZE)
    response = JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "items": list(page.object_list),
        },
        encoder=DjangoJSONEncoder,
    )
    if page_key:
        cache.set(page_key, response.content.decode(), selectors.CACHE_SECONDS)
    return response


@require_GET
def database_csv(request: HttpRequest) -> HttpResponseBase:
    """Every entry of the search as CSV (the points the reader may see)."""
    scope = scope_of_request(request)
    form = SearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(_("The search is not valid."), status=422, content_type="text/plain")
    results = selectors.search(scope, form.filters())
    return csv_response("eu-database.csv", CSV_HEADER, _csv_rows(results))


def _csv_rows(results: selectors.Results) -> Any:
    for item in results.iterator():
        yield [
            item["number"],
            item["section"],
            item["annex_iii_point"],
            item["registrant_name"] or "",
            item["trade_name"] or "",
            item["reference"] or "",
            item["intended_purpose"] or "",
            item["status"] or "",
            " ".join(item["member_states"]),
            item["registered_at"].isoformat(),
            item["system"] or item["system_url"] or "",
            item["visibility"],
        ]


def _detail_context(scope: Scope, number: str) -> dict[str, Any]:
    registration = selectors.registration_visible(scope, number)
    return {
        "registration": registration,
        "points": selectors.shown_points(registration),
        "system": selectors.system_shown(scope, registration),
        "files": selectors.files_shown(registration),
        "scope": scope,
    }


@require_GET
def database_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One entry: the points aiact lists for it; kept whole for a visitor without a session
    (`_whole_page_key`)."""
    scope = scope_of_request(request)
    page_key = _whole_page_key(request, scope)
    kept = _kept(request, page_key)
    if kept is not None:
        return kept
    context = _detail_context(scope, number)
    if page_key:
        return _render_kept(request, page_key, "cooperation/database/detail.html", context)
    return render(request, "cooperation/database/detail.html", context)


@require_GET
def database_file(request: HttpRequest, number: str, file_id: int) -> HttpResponseBase:
    """A file of an entry (certificate, EU declaration of conformity), with its SHA-256."""
    found = selectors.file_visible(scope_of_request(request), number, file_id)
    return download(
        found.file,
        filename=found.filename,
        content_type=found.content_type,
        sha256=found.sha256,
        size=found.size,
    )


# --- registrants -------------------------------------------------------------------------------


def _organisations(request: HttpRequest) -> list[Any]:
    organisations = list(registering_organisations(request.user))
    if not organisations:
        raise PermissionDenied
    return organisations


@login_required
@require_GET
def database_mine(request: HttpRequest) -> HttpResponse:
    """The registrant organisations' entries, and the sections they register in."""
    organisations = _organisations(request)
    rows = selectors.mine([o.pk for o in organisations])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    sections = sorted({s for o in organisations for s in SECTIONS_BY_KIND.get(o.kind, ())})
    return render(
        request,
        "cooperation/database/mine.html",
        {
            "page": page,
            "organisations": organisations,
            "sections": [(s, Section(s).label) for s in Section.values if s in sections],
        },
    )


def _form_values(form: RegistrationForm) -> tuple[dict[str, Any], dict[str, Any]]:
    data = form.cleaned_data
    values = {key: data.get(key) for key in form.point_keys()}
    files = {key: data.get(key) for key in form.file_keys() if data.get(key)}
    return values, files


@login_required
@require_http_methods(["GET", "POST"])
def database_register(request: HttpRequest, section: str) -> HttpResponse:
    """Register an entry in one section, for one of the person's organisations."""
    if section not in Section.values:
        raise Http404
    allowed = [o for o in _organisations(request) if section in SECTIONS_BY_KIND.get(o.kind, ())]
    if not allowed:
        raise PermissionDenied
    choices = [(o.pk, o.name) for o in allowed]
    form = RegistrationForm(
        request.POST or None, request.FILES or None, section=section, organisations=choices
    )
    if request.method == "POST" and form.is_valid():
        values, files = _form_values(form)
        organisation = next(o for o in allowed if o.pk == form.cleaned_data["organisation"])
        try:
            registration = services.registration_create(
                actor=request.user,
                organisation=organisation,
                section=section,
                annex_iii_point=form.cleaned_data.get("annex_iii_point") or "",
                sensitive_context=form.cleaned_data.get("sensitive_context", False),
                publication_consent=form.cleaned_data.get("publication_consent", False),
                values=values,
                files=files,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Registered as %(number)s.") % {"number": registration.number},
            )
            return redirect("cooperation:database_manage", number=registration.number)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "cooperation/database/register.html",
        {"form": form, "section": Section(section)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def database_manage(request: HttpRequest, number: str) -> HttpResponse:
    """The registrant's view of an entry: its points, history, status change, withdrawal."""
    _organisations(request)
    context = _detail_context(scope_of_request(request), number)
    registration = context["registration"]
    if not may_manage(request.user, registration.organisation_id):
        raise Http404
    status_form = StatusForm(request.POST if request.POST.get("action") == "status" else None)
    withdraw_form = WithdrawForm(request.POST if request.POST.get("action") == "withdraw" else None)
    if request.method == "POST":
        form: Any = status_form if request.POST.get("action") == "status" else withdraw_form
        if form.is_valid():
            try:
                if form is status_form:
                    services.registration_status_change(
                        actor=request.user, registration=registration, **form.cleaned_data
                    )
                    messages.success(request, _("The status was changed."))
                else:
                    services.registration_withdraw(
                        actor=request.user, registration=registration, **form.cleaned_data
                    )
                    messages.success(request, _("The entry was withdrawn."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("cooperation:database_manage", number=registration.number)
    context.update(
        {
            "status_form": status_form,
            "withdraw_form": withdraw_form,
            "history": selectors.history(registration),
        }
    )
    status = 422 if request.method == "POST" else 200
    return render(request, "cooperation/database/manage.html", context, status=status)


# --- the Office --------------------------------------------------------------------------------


@require(is_office_staff)
@require_GET
def database_admin(request: HttpRequest) -> HttpResponse:
    """Every entry, the secure section and withdrawn ones included."""
    scope = Scope(everything=True)
    form = AdminSearchForm(request.GET or None)
    page = _with_links(
        _page(selectors.search(scope, form.filters()), request.GET.get("page"), PAGE_SIZE),
        admin=True,
    )
    return render_page_or_fragment(
        request,
        "cooperation/database/admin.html",
        "results",
        {"form": form, "page": page, "query": urlencode(form.query()), "scope": scope},
    )


@require(is_office_staff)
@require_GET
def database_admin_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One entry with its history, aiact's reasons and its audit trail."""
    context = _detail_context(Scope(everything=True), number)
    registration = context["registration"]
    context.update(
        {
            "history": selectors.history(registration),
            "events": selectors.audit_events(registration),
        }
    )
    return render(request, "cooperation/database/admin_detail.html", context)
