from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "aioffice.registry"
    label = "registry"
    verbose_name = "Registry"
