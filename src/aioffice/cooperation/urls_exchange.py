"""Routes of cooperation, part exchange; `aioffice.cooperation.urls` joins the parts."""

from django.urls import path

from aioffice.cooperation import views_exchange as views

urlpatterns = [
    path("cooperation/exchange/", views.exchange_home, name="exchange_home"),
]
