"""The evidence sources compliance monitoring combines, and the registry core's own.

Each source has the signature of `aioffice.registry.evidence.EvidenceSource`: it is called
once for a page of versions and says what it holds for them; it never decides whether an
obligation applies (that is aiact's answer, stored on the version's current assessment).

The registry core holds two kinds of evidence:

- the Art. 52(1) notification (`notification_evidence`): a notification that was not
  withdrawn meets the obligation to notify; aiact's due date and late flag, stored on the
  notification when it was received, give the detail;
- the authorised representative's written mandate (`mandate_evidence`, Art. 54(1)): a
  mandate in force on the day meets it; a mandate that ended or was terminated and left no
  other in force is overdue evidence; one that starts later is pending.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aioffice.registry.choices import NotificationStatus
from aioffice.registry.codeofpractice import evidence as codeofpractice_evidence
from aioffice.registry.documentation import evidence as documentation_evidence
from aioffice.registry.evidence import Evidence, EvidenceSource
from aioffice.registry.models import AuthorisedRepresentative, ModelVersion, Notification


def notification_evidence(versions: Sequence[ModelVersion], on: date) -> Iterator[Evidence]:
    """Art. 52(1): each notification of the versions that was not withdrawn (one query)."""
    ids = [version.pk for version in versions]
    notifications = (
        Notification.objects.filter(version_id__in=ids, submitted_on__lte=on)
        .exclude(status=NotificationStatus.WITHDRAWN)
        .only("id", "version_id", "tracking_number", "submitted_on", "due", "late", "status")
        .order_by("version_id", "submitted_on", "id")
    )
    for notification in notifications:
        detail = ""
        if notification.late and notification.due is not None:
            days = (notification.submitted_on - notification.due).days
            detail = ngettext(
                "received %(days)s day late (due %(due)s)",
                "received %(days)s days late (due %(due)s)",
                days,
            ) % {
                "days": days,
                "due": notification.due.isoformat(),
            }
        yield Evidence(
            version_id=notification.version_id,
            obligation="art52_1",
            kind="notification",
            label=_("Notification %(number)s of %(day)s")
            % {"number": notification.tracking_number, "day": notification.submitted_on},
            status="met",
            due=notification.due,
            detail=detail,
            url=reverse("registry:notification_detail", args=[notification.tracking_number]),
        )


def mandate_evidence(versions: Sequence[ModelVersion], on: date) -> Iterator[Evidence]:
    """Art. 54(1): the mandates of the versions' providers (one query).

    A mandate in force on `on` meets the obligation for every version of its provider.
    Without one, a mandate that starts later is pending, and the last one that ended or was
    terminated is overdue evidence (the provider is left without a representative).
    """
    by_provider: dict[int, list[ModelVersion]] = {}
    for version in versions:
        by_provider.setdefault(version.model.provider_id, []).append(version)
    mandates = (
        AuthorisedRepresentative.objects.filter(provider_id__in=list(by_provider))
        .select_related("representative")
        .only(
            "id",
            "provider_id",
            "representative__name",
            "union_country",
            "start",
            "end",
            "terminated_at",
        )
        .order_by("provider_id", "-start", "-id")
    )
    chosen: dict[int, Evidence] = {}
    rank = {"met": 0, "pending": 1, "overdue": 2}
    for mandate in mandates:
        label = _("Mandate of %(representative)s (%(country)s) from %(start)s") % {
            "representative": mandate.representative.name,
            "country": mandate.union_country,
            "start": mandate.start.isoformat(),
        }
        if mandate.is_current_on(on):
            status, detail = "met", ""
        elif mandate.start > on and mandate.terminated_at is None:
            status = "pending"
            detail = _("starts on %(start)s") % {"start": mandate.start.isoformat()}
        else:
            status = "overdue"
            ended = mandate.terminated_at.date() if mandate.terminated_at else mandate.end
            detail = _("no mandate in force: the last one ended on %(day)s") % {
                "day": ended.isoformat() if ended else "?"
            }
        candidate = Evidence(
            version_id=0,
            obligation="art54_1",
            kind="mandate",
            label=label,
            status=status,  # type: ignore[arg-type]  # one of the three literals above
            due=None,
            detail=detail,
        )
        best = chosen.get(mandate.provider_id)
        if best is None or rank[candidate.status] < rank[best.status]:
            chosen[mandate.provider_id] = candidate
    for provider_id, evidence in chosen.items():
        for version in by_provider[provider_id]:
            yield dataclasses.replace(evidence, version_id=version.pk)


# Every source, in the order their evidence is listed.
SOURCES: tuple[EvidenceSource, ...] = (
    notification_evidence,
    mandate_evidence,
    documentation_evidence.evidence_for,
    codeofpractice_evidence.evidence_for,
)
