from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "aioffice.evaluations"
    label = "evaluations"
    verbose_name = "Capability evaluations"

    def ready(self) -> None:
        # evaluation results are Annex XIII(e) evidence on the registry's versions
        from aioffice.evaluations.evidence import annex_xiii_evidence
        from aioffice.registry.evidence import register_capability_source

        register_capability_source(annex_xiii_evidence)
