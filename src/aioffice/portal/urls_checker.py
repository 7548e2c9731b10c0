"""Routes of the portal's checker; `aioffice.portal.urls` joins the parts."""

from django.urls import path

from aioffice.portal import views_checker as views

urlpatterns = [
    path("compliance-checker/", views.checker, name="checker"),
    path("compliance-checker/<slug:flow>/", views.checker_step, name="checker_step"),
    path("compliance-checker/<slug:flow>/result/", views.checker_result, name="checker_result"),
]
