from django.urls import URLPattern

app_name = "documentation"
urlpatterns: list[URLPattern] = []
