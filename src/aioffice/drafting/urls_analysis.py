"""The analysis pages of drafting (under the `drafting` namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
