from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aioffice.accounts"
    label = "accounts"
    verbose_name = "Accounts"
