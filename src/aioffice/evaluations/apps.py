from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "aioffice.evaluations"
    label = "evaluations"
    verbose_name = "Capability evaluations"
