from django.apps import AppConfig


class DocumentationConfig(AppConfig):
    name = "aioffice.registry.documentation"
    label = "documentation"
    verbose_name = "Documentation (Art. 53 and 55, Annexes XI and XII)"

    def ready(self) -> None:
        # The document-type schemas are data: a broken one stops the start, naming the file.
        from aioffice.registry.documentation.doctypes import load_doctypes

        load_doctypes()
