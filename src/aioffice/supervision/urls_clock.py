"""Pages of supervision: clock (included by `aioffice.supervision.urls`)."""

from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
