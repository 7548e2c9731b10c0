from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "aioffice.supervision"
    label = "supervision"
    verbose_name = "Supervision and enforcement"

    def ready(self) -> None:
        # the one clock: deadlines of the registry's procedures are kept as deadline
        # records too (the registry itself does not know supervision)
        from aioffice.supervision import clock

        clock.connect_sources()
        from aioffice.supervision import similar

        similar.connect()  # complaints' and incidents' vectors refreshed on save
