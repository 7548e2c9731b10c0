"""htmx requests get a fragment, except when htmx restores a page it no longer holds."""

from __future__ import annotations

from django.test import RequestFactory

from aioffice.core.htmx import is_htmx


def test_a_fragment_for_htmx_and_the_whole_page_for_a_history_restore() -> None:
    factory = RequestFactory()
    assert not is_htmx(factory.get("/"))
    assert is_htmx(factory.get("/", HTTP_HX_REQUEST="true"))
    restore = factory.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert not is_htmx(restore)
