from django.urls import path

from aioffice.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("second-factor/", views.second_factor_view, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup_view, name="second_factor_setup"),
    path("", views.account_view, name="account"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
