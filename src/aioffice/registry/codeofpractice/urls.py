from django.urls import URLPattern

app_name = "codeofpractice"
urlpatterns: list[URLPattern] = []
