from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aioffice.core"
    label = "core"
    verbose_name = "Core"
