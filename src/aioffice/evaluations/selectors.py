"""Reads of evaluation targets, runs and results. AI Office staff only: everyone else gets
nothing (the pages and the API also refuse them before anything is looked up).

Evaluation results are confidential (Art. 78): they are about a provider's model and were
obtained under the Office's powers; a provider sees them through the procedure that
discloses them (supervision), not here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from aioffice.core.permissions import is_office_staff
from aioffice.evaluations.models import EvaluationRun, EvaluationTarget, TaskResult


def targets_visible_to(request: HttpRequest) -> QuerySet[EvaluationTarget]:
    if not is_office_staff(request):
        return EvaluationTarget.objects.none()
    return EvaluationTarget.objects.select_related("version__model__provider")


def runs_visible_to(request: HttpRequest) -> QuerySet[EvaluationRun]:
    if not is_office_staff(request):
        return EvaluationRun.objects.none()
    return EvaluationRun.objects.select_related("version__model__provider", "target")


def results_visible_to(request: HttpRequest) -> QuerySet[TaskResult]:
    if not is_office_staff(request):
        return TaskResult.objects.none()
    return TaskResult.objects.select_related("run__version__model__provider", "run__target")
