from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "aioffice.drafting"
    label = "drafting"
    verbose_name = "Drafting"

    def ready(self) -> None:
        from aioffice.core.navigation import DRAFTING_PARTICIPATION
        from aioffice.drafting.permissions import takes_part

        if takes_part not in DRAFTING_PARTICIPATION:
            DRAFTING_PARTICIPATION.append(takes_part)
