from django.apps import AppConfig


class DocumentationConfig(AppConfig):
    name = "aioffice.registry.documentation"
    label = "documentation"
    verbose_name = "Documentation (Art. 53 and 55, Annexes XI and XII)"
