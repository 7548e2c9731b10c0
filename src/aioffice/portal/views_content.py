"""Pages of the portal's content: the home page, the guidance library and its files, the
news and their Atom feed (public); the staff hub of the portal and the staff pages that edit
guidance and news (`can_edit_content`). Views parse, call one selector or service, render."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aioffice.core.files import download, stored_sha256
from aioffice.core.forms import add_service_errors, form_saved
from aioffice.core.htmx import render_page_or_fragment
from aioffice.core.permissions import require
from aioffice.core.schemas import MAX_ID
from aioffice.portal import selectors_content as selectors
from aioffice.portal import services_content as services
from aioffice.portal import similar as similar_guidance
from aioffice.portal.choices import GuidanceKind, Topic
from aioffice.portal.forms_content import (
    GuidanceDocumentCreateForm,
    GuidanceDocumentForm,
    GuidanceFileForm,
    GuidanceFilterForm,
    GuidanceVersionForm,
    NewsFilterForm,
    NewsItemCreateForm,
    NewsItemForm,
    NewsPublishForm,
)
from aioffice.portal.models_content import GuidanceDocument, GuidanceFile, GuidanceVersion, NewsItem
from aioffice.portal.permissions import (
    can_answer_enquiries,
    can_edit_content,
    can_manage_calls,
    can_send_bulletins,
)

logger = logging.getLogger(__name__)

_KINDS = dict(GuidanceKind.choices)
_TOPICS = dict(Topic.choices)


def _reader_language() -> str:
    """The language of the page (en, fr, de): what the reader reads in."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _query(form: Any) -> str:
    """The valid filters as a query string, for the pagination links."""
    form.is_valid()  # the valid filters stay; an invalid one is shown with its error
    return urlencode({k: v for k, v in form.cleaned_data.items() if v})


def _file_row(
    document: GuidanceDocument, version: GuidanceVersion, f: GuidanceFile
) -> dict[str, Any]:
    return {
        "language": f.language,
        "language_name": selectors.LANGUAGE_NAMES.get(f.language, f.language),
        "url": reverse("portal:guidance_file", args=[document.slug, version.number, f.language]),
        "size": f.size,
        "sha256": f.sha256,
        "content_type": f.content_type,
        "format": services.EXTENSIONS.get(f.content_type, "").lstrip(".").upper() or f.content_type,
    }


def _version_row(
    document: GuidanceDocument, version: GuidanceVersion, language: str
) -> dict[str, Any]:
    files = selectors.in_reading_order(version.files.all(), language)
    return {
        "version": version,
        "files": [_file_row(document, version, f) for f in files],
    }


def _library_row(document: GuidanceDocument, language: str) -> dict[str, Any]:
    versions = list(document.versions.all())
    current = versions[0] if versions else None
    files = selectors.in_reading_order(current.files.all(), language) if current else []
    return {
        "document": document,
        "kind": _KINDS.get(document.kind, document.kind),
        "topic": _TOPICS.get(document.topic, document.topic),
        "current": current,
        "languages": [
            (f.language, selectors.LANGUAGE_NAMES.get(f.language, f.language)) for f in files
        ],
    }


# --- public pages ------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the AI Office does, the registers, the tools, the latest news and guidance."""
    language = _reader_language()
    news = selectors.latest_news(language)
    return render(
        request,
        "portal/home.html",
        {
            "news": [
                {
                    "item": item,
                    "other_language": item.language != language,
                    "language_name": selectors.LANGUAGE_NAMES.get(item.language, item.language),
                    "topic": _TOPICS.get(item.topic, item.topic),
                }
                for item in news
            ],
            "guidance": [
                {"document": d, "kind": _KINDS.get(d.kind, d.kind)}
                for d in selectors.guidance_highlights()
            ],
        },
    )


@require_GET
def guidance_list(request: HttpRequest) -> HttpResponse:
    """The guidance library: search, filters, pages of 20."""
    form = GuidanceFilterForm(request.GET)
    form.is_valid()  # the valid filters apply; an invalid one is shown with its error
    data = form.cleaned_data
    filters = selectors.GuidanceFilter(
        q=data.get("q", ""),
        kind=data.get("kind", ""),
        topic=data.get("topic", ""),
        language=data.get("language", ""),
    )
    documents: Any = selectors.guidance_library(filters)
    scores: dict[int, float] = {}
    model = ""
    if data.get("meaning") and filters.q.strip():
        # by meaning: the closest documents among those the other filters keep, one page
        unsearched = selectors.guidance_library(replace(filters, q=""))
        found = similar_guidance.search(filters.q, unsearched)
        documents = [document for document, _score in found.documents]
        scores = {document.pk: score for document, score in found.documents}
        model = found.model
    page = Paginator(documents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    language = _reader_language()
    return render_page_or_fragment(
        request,
        "portal/content/guidance_list.html",
        "results",
        {
            "form": form,
            "page": page,
            "rows": [
                {**_library_row(d, language), "score": scores.get(d.pk)} for d in page.object_list
            ],
            "query": _query(form),
            "filtered": any([filters.q, filters.kind, filters.topic, filters.language]),
            "model": model,
        },
    )


@require_GET
def guidance_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published document: its summary, the current version's files per language (the
    reader's first) with their SHA-256, and the history of versions."""
    document = selectors.guidance_document(slug)
    if document is None:
        raise Http404
    language = _reader_language()
    versions = [_version_row(document, v, language) for v in document.versions.all()]
    return render(
        request,
        "portal/content/guidance_detail.html",
        {
            "document": document,
            "kind": _KINDS.get(document.kind, document.kind),
            "topic": _TOPICS.get(document.topic, document.topic),
            "current": versions[0] if versions else None,
            "history": versions,
        },
    )


@require_GET
def guidance_similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The published documents nearest in meaning to a published one: a page of its own
    (the link on the document's page) and the block htmx loads into that page."""
    document = selectors.guidance_document(slug)
    if document is None:
        raise Http404
    found = similar_guidance.similar(document)
    return render_page_or_fragment(
        request,
        "portal/content/guidance_similar.html",
        "similar",
        {
            "document": document,
            "found": found,
            "rows": [
                {"document": other, "kind": _KINDS.get(other.kind, other.kind), "score": score}
                for other, score in found.documents
            ],
        },
    )


def _serve_verified(record: GuidanceFile, request: HttpRequest, *, back: str) -> Any:
    """The file, once its stored bytes have the SHA-256 and size recorded (and published);
    a missing file is a 404; an altered one is withheld (503) and logged for the Office."""
    version = record.version
    try:
        found = stored_sha256(record.file)
    except (OSError, ValueError):  # the record outlived its file (a restore, a storage fault)
        logger.warning("guidance file %s: its stored file cannot be read", record.pk)
        raise Http404 from None
    if found != (record.sha256, record.size):
        logger.error(
            "guidance file %s (%s %s %s) does not match its SHA-256: withheld",
            record.pk,
            version.document.slug,
            version.number,
            record.language,
        )
        return render(
            request,
            "portal/content/file_refused.html",
            {"document": version.document, "version": version, "back": back},
            status=503,
        )
    name = services.file_name(
        version.document.slug, version.number, record.language, record.content_type
    )
    return download(
        record.file,
        filename=name,
        content_type=record.content_type,
        sha256=record.sha256,
        size=record.size,
    )


@require_GET
def guidance_file(request: HttpRequest, slug: str, number: str, language: str) -> HttpResponse:
    """A file of a published document, checked against its SHA-256 before it is served."""
    if not services.VERSION_NUMBER.fullmatch(number) or language not in services.LANGUAGE_CODES:
        raise Http404  # not a number or language a file can have (nor text for the database)
    record = selectors.guidance_file(slug, number, language)
    if record is None:
        raise Http404
    back = reverse("portal:guidance_detail", args=[slug])
    return cast(HttpResponse, _serve_verified(record, request, back=back))


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    """Published news, the reader's language first, by topic, pages of 20."""
    form = NewsFilterForm(request.GET)
    form.is_valid()
    topic = form.cleaned_data.get("topic", "")
    language = _reader_language()
    page = Paginator(selectors.news_for_reader(language, topic), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page_or_fragment(
        request,
        "portal/content/news_list.html",
        "results",
        {
            "form": form,
            "page": page,
            "rows": [
                {
                    "item": item,
                    "other_language": item.language != language,
                    "language_name": selectors.LANGUAGE_NAMES.get(item.language, item.language),
                    "topic": _TOPICS.get(item.topic, item.topic),
                }
                for item in page.object_list
            ],
            "query": _query(form),
        },
    )


@require_GET
def news_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.news_item(slug)
    if item is None:
        raise Http404
    return render(
        request,
        "portal/content/news_detail.html",
        {
            "item": item,
            "other_language": item.language != _reader_language(),
            "language_name": selectors.LANGUAGE_NAMES.get(item.language, item.language),
            "topic": _TOPICS.get(item.topic, item.topic),
        },
    )


class NewsFeed(Feed):  # type: ignore[type-arg]  # items are NewsItem, the feed object None
    """The latest published news in every language, as an Atom feed."""

    feed_type = Atom1Feed
    title = gettext_lazy("News of the AI Office")
    subtitle = gettext_lazy("The latest news published on the portal of the AI Office.")
    link = reverse_lazy("portal:news_list")

    def items(self) -> list[NewsItem]:
        return selectors.news_feed()

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_link(self, item: NewsItem) -> str:
        return reverse("portal:news_detail", args=[item.slug])

    def item_pubdate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> Any:
        return item.published_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.topic]


news_feed = require_GET(NewsFeed())


# --- staff -------------------------------------------------------------------------------------


def _portal_staff(request: HttpRequest) -> bool:
    """Anyone with one of the portal's staff functions."""
    rules = (can_edit_content, can_answer_enquiries, can_send_bulletins, can_manage_calls)
    return any(rule(request) for rule in rules)


def _staff_functions(request: HttpRequest) -> list[dict[str, str]]:
    """The portal's staff functions this person has, each once its pages exist."""
    entries = [
        (
            can_edit_content,
            "portal:guidance_admin_list",
            _("Guidance documents"),
            _("Create and edit guidance, add versions with their files, publish them."),
        ),
        (
            can_edit_content,
            "portal:news_admin_list",
            _("News"),
            _("Write news items, publish them now or at a set time."),
        ),
        (
            can_edit_content,
            "portal:literacy_admin_list",
            _("AI literacy practices"),
            _("Review the practices organisations share, publish them or add one."),
        ),
        (
            can_edit_content,
            "portal:support_admin_list",
            _("Support structures"),
            _("Keep the directory of sandboxes, testing facilities, hubs and AI factories."),
        ),
        (
            can_answer_enquiries,
            "portal:enquiry_admin_list",
            _("Questions from the public"),
            _("Read and answer the questions sent through the contact form."),
        ),
        (
            can_send_bulletins,
            "portal:bulletin_list",
            _("Messages to subscribers"),
            _("Write a message, choose its topics and send it to the subscribers."),
        ),
        (
            can_manage_calls,
            "portal:call_admin_list",
            _("Calls for expression of interest"),
            _("Publish calls and review the applications."),
        ),
    ]
    functions = []
    for rule, name, label, text in entries:
        if not rule(request):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a part of the portal not built yet
            continue
        functions.append({"label": label, "text": text, "url": url, "key": name.split(":")[1]})
    return functions


@require(_portal_staff)
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff hub of the portal: the functions this person has."""
    return render(request, "portal/staff_home.html", {"functions": _staff_functions(request)})


def _posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data: bound on POST (even an empty one, which then has errors)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _pk(value: int) -> int:
    if value > MAX_ID:  # beyond the database's integers: no such object (not a 500)
        raise Http404
    return value


def _document(pk: int) -> GuidanceDocument:
    document = GuidanceDocument.objects.filter(pk=_pk(pk)).first()
    if document is None:
        raise Http404
    return document


def _news(pk: int) -> NewsItem:
    item = NewsItem.objects.filter(pk=_pk(pk)).first()
    if item is None:
        raise Http404
    return item


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "portal/content/admin_form.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
    )


@require(can_edit_content)
@require_GET
def guidance_admin_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.guidance_for_staff(), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/content/admin_guidance_list.html",
        {"page": page, "kinds": _KINDS, "topics": _TOPICS},
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def guidance_create(request: HttpRequest) -> HttpResponse:
    form = GuidanceDocumentCreateForm(*_posted(request))
    done = form_saved(
        request,
        form,
        lambda data: services.guidance_create(actor=request.user, **data),
        message=_("The document was created. Add its first version."),
        then=lambda document: redirect("portal:guidance_admin", document.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("New guidance document"),
        submit=_("Create the document"),
        back=reverse("portal:guidance_admin_list"),
    )


@require(can_edit_content)
@require_GET
def guidance_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """A document as staff see it: drafts too, every version with its files."""
    document = selectors.guidance_for_staff_detail(_pk(pk))
    if document is None:
        raise Http404
    language = _reader_language()
    versions = []
    for version in document.versions.all():
        files = selectors.in_reading_order(version.files.all(), language)
        versions.append(
            {
                "version": version,
                "files": [
                    {
                        **_file_row(document, version, f),
                        "url": reverse("portal:guidance_file_admin", args=[f.pk]),
                    }
                    for f in files
                ],
            }
        )
    return render(
        request,
        "portal/content/admin_guidance_detail.html",
        {
            "document": document,
            "kind": _KINDS.get(document.kind, document.kind),
            "topic": _TOPICS.get(document.topic, document.topic),
            "versions": versions,
        },
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def guidance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    initial = {n: getattr(document, n) for n in ("title", "summary", "kind", "topic")}
    form = GuidanceDocumentForm(*_posted(request), initial=initial)
    done = form_saved(
        request,
        form,
        lambda data: services.guidance_update(actor=request.user, document=document, **data),
        message=_("The document was saved."),
        then=lambda _saved: redirect("portal:guidance_admin", document.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Edit “%(title)s”") % {"title": document.title},
        submit=_("Save"),
        back=reverse("portal:guidance_admin", args=[document.pk]),
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def guidance_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    form = GuidanceVersionForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        files = form.files_by_language()
        other = form.cleaned_data.get("other_language")
        try:
            services.guidance_version_add(
                actor=request.user,
                document=document,
                number=form.cleaned_data["number"],
                published_on=form.cleaned_data["published_on"],
                change_note=form.cleaned_data["change_note"],
                files=files,
            )
        except ValidationError as exc:
            renames = {"files": "other_language"}
            if other and other not in form.site_languages:
                renames[f"file_{other}"] = "other_file"
            add_service_errors(form, exc, renames)
        else:
            messages.success(request, _("The version was added with its files."))
            return redirect("portal:guidance_admin", document.pk)
    return _form_page(
        request,
        form,
        title=_("New version of “%(title)s”") % {"title": document.title},
        submit=_("Add the version"),
        back=reverse("portal:guidance_admin", args=[document.pk]),
        intro=_(
            "Each file is checked (type and size), stored, and its SHA-256 read back from "
            "storage; the page of the document shows it beside the file."
        ),
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def guidance_file_add(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    document = _document(pk)
    version = GuidanceVersion.objects.filter(pk=_pk(version_pk), document=document).first()
    if version is None:
        raise Http404
    form = GuidanceFileForm(*_posted(request, files=True))
    done = form_saved(
        request,
        form,
        lambda data: services.guidance_file_add(
            actor=request.user, version=version, language=data["language"], upload=data["file"]
        ),
        message=_("The file was added."),
        then=lambda _added: redirect("portal:guidance_admin", document.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("Add a language to version %(number)s of “%(title)s”")
        % {"number": version.number, "title": document.title},
        submit=_("Add the file"),
        back=reverse("portal:guidance_admin", args=[document.pk]),
    )


def _publication(request: HttpRequest, pk: int, *, published: bool) -> HttpResponse:
    document = _document(pk)
    service = services.guidance_publish if published else services.guidance_unpublish
    try:
        service(actor=request.user, document=document)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The document is published.") if published else _("The document is withdrawn."),
        )
    return redirect("portal:guidance_admin", document.pk)


@require(can_edit_content)
@require_POST
def guidance_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publication(request, pk, published=True)


@require(can_edit_content)
@require_POST
def guidance_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _publication(request, pk, published=False)


@require(can_edit_content)
@require_GET
def guidance_file_admin(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of any document (drafts too), for staff, checked like the public one."""
    record = selectors.staff_guidance_file(_pk(pk))
    if record is None:
        raise Http404
    back = reverse("portal:guidance_admin", args=[record.version.document_id])
    return cast(HttpResponse, _serve_verified(record, request, back=back))


@require(can_edit_content)
@require_GET
def news_admin_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.news_for_staff(), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/content/admin_news_list.html",
        {
            "page": page,
            "topics": _TOPICS,
            "languages": selectors.LANGUAGE_NAMES,
            "now": timezone.now(),
        },
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def news_create(request: HttpRequest) -> HttpResponse:
    form = NewsItemCreateForm(*_posted(request))
    done = form_saved(
        request,
        form,
        lambda data: services.news_create(actor=request.user, **data),
        message=_("The news item was saved as a draft."),
        then=lambda item: redirect("portal:news_edit", item.pk),
    )
    return done or _form_page(
        request,
        form,
        title=_("New news item"),
        submit=_("Save as a draft"),
        back=reverse("portal:news_admin_list"),
    )


def _news_edit_page(
    request: HttpRequest, item: NewsItem, form: Any, publish_form: Any
) -> HttpResponse:
    return render(
        request,
        "portal/content/admin_news_edit.html",
        {
            "item": item,
            "form": form,
            "publish_form": publish_form,
            "public": item.published_at is not None and item.published_at <= timezone.now(),
        },
    )


@require(can_edit_content)
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _news(pk)
    initial = {n: getattr(item, n) for n in ("language", "title", "summary", "body", "topic")}
    form = NewsItemForm(*_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news item was saved."))
            return redirect("portal:news_edit", item.pk)
    return _news_edit_page(request, item, form, NewsPublishForm(prefix="publish"))


@require(can_edit_content)
@require_POST
def news_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _news(pk)
    form = NewsPublishForm(request.POST, prefix="publish")
    if form.is_valid():
        try:
            services.news_publish(
                actor=request.user, item=item, at=form.cleaned_data["published_at"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The news item is published."))
            return redirect("portal:news_edit", item.pk)
    initial = {n: getattr(item, n) for n in ("language", "title", "summary", "body", "topic")}
    return _news_edit_page(request, item, NewsItemForm(initial=initial), form)


@require(can_edit_content)
@require_POST
def news_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _news(pk)
    try:
        services.news_unpublish(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The news item is withdrawn."))
    return redirect("portal:news_edit", item.pk)
