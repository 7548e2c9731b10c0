from django.urls import URLPattern

app_name = "watchlist"
urlpatterns: list[URLPattern] = []
