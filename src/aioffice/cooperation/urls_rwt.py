"""Routes of cooperation, part real-world testing; `aioffice.cooperation.urls` joins the
parts."""

from django.urls import path

from aioffice.cooperation import views_rwt as views

urlpatterns = [
    path("real-world-testing/", views.rwt_list, name="rwt_list"),
    path("real-world-testing/public/", views.rwt_public, name="rwt_public"),
    path("real-world-testing/public.csv", views.rwt_public_csv, name="rwt_public_csv"),
    path("real-world-testing/register/", views.rwt_register, name="rwt_register"),
    path("real-world-testing/<int:pk>/", views.rwt_detail, name="rwt_detail"),
    path("real-world-testing/<int:pk>/plan/", views.rwt_plan, name="rwt_plan"),
    path("real-world-testing/<int:pk>/<slug:action>/", views.rwt_action, name="rwt_action"),
]
