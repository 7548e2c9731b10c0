from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "aioffice.portal"
    label = "portal"
    verbose_name = "Public portal"
