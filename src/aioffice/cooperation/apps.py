from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "aioffice.cooperation"
    label = "cooperation"
    verbose_name = "Cooperation"
