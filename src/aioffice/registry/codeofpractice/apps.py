from django.apps import AppConfig


class CodeOfPracticeConfig(AppConfig):
    name = "aioffice.registry.codeofpractice"
    label = "codeofpractice"
    verbose_name = "Code of Practice"
