"""The portal's scheduled housekeeping: personal data past their retention period and
other expired records are deleted.

`HOUSEKEEPING` names each purge by a dotted path to a function callable without
arguments that returns how many records it deleted. `run_housekeeping()` calls each (a
failing one does not stop the others) and returns the counts; the worker's periodic thread
and the command line call it, and the `portal_housekeeping` task runs it in the worker.
Each purge is idempotent: running it twice, or from two workers, deletes nothing twice.
"""

from __future__ import annotations

import logging

from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

# name -> dotted path of a purge (no arguments, returns a count). A part adds its own here.
HOUSEKEEPING: dict[str, str] = {
    # applications to calls: CV, name, e-mail, motivation after PORTAL_APPLICATION_RETENTION_DAYS
    "applications": "aioffice.portal.services_calls.applications_purge",
    # rate-limit counters of windows over a day old (keys are digests: no personal data)
    "rate_counters": "aioffice.core.ratelimit.purge",
    # the checker's result e-mails: the address after their retention period
    "checker_emails": "aioffice.portal.checker.mail.purge_sent",
    # questions from the public, after PORTAL_ENQUIRY_RETENTION_DAYS
    "enquiries": "aioffice.portal.services_help.enquiries_purge",
    # sign-ups for updates never confirmed, once their confirmation link expired (a former
    # subscriber's: the address erased), and any address left on an unsubscribed row
    "unconfirmed_subscribers": "aioffice.portal.services_updates.subscribers_purge_unconfirmed",
}


class HousekeepingError(Exception):
    """Some purges failed (each was logged); `counts` holds those that ran."""

    def __init__(self, failed: list[str], counts: dict[str, int]) -> None:
        super().__init__(f"housekeeping failed for: {', '.join(failed)}")
        self.failed = failed
        self.counts = counts


def run_housekeeping() -> dict[str, int]:
    """Run every purge of `HOUSEKEEPING`, each on its own; return name -> records deleted.
    If one fails, the others still run, and `HousekeepingError` is raised at the end with
    the counts of those that ran."""
    counts: dict[str, int] = {}
    failed: list[str] = []
    for name, path in HOUSEKEEPING.items():
        try:
            counts[name] = int(import_string(path)())
        except Exception:  # one part's failure must not keep the others' data
            logger.exception("portal housekeeping: %s (%s) failed", name, path)
            failed.append(name)
    if failed:
        raise HousekeepingError(failed, counts)
    return counts


@task()
def portal_housekeeping() -> dict[str, int]:
    """The worker's task: `run_housekeeping()`."""
    return run_housekeeping()
