"""Evaluation tasks on Inspect AI for the AI Office: the catalogue and the statistics.

No Django here: every task runs with plain ``inspect eval`` and this package is usable on its
own (``python -m gpai_evals tasks``). The Django app ``aioffice.evaluations`` builds on it.
"""

from gpai_evals.catalogue import CATALOGUE, CatalogueEntry, Offline, RiskArea, by_name, entries

__all__ = ["CATALOGUE", "CatalogueEntry", "Offline", "RiskArea", "by_name", "entries"]
