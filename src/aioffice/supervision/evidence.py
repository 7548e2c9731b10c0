"""Evidence: documents stored with their SHA-256, versions, retention dates, and a malware
scanning hook.

`store_document` is the one way a file enters a case file or a report. The scanner is a
setting (`SUPERVISION_MALWARE_SCANNER`, a dotted path to a callable taking the stored
file's path and returning a `ScanResult`); the default scanner scans nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from aioffice.supervision.choices import ScanStatus


@dataclass(frozen=True, slots=True)
class ScanResult:
    status: str
    report: str


def no_scanner(path: str) -> ScanResult:
    """The default: no malware scanner is configured, so nothing was scanned."""
    return ScanResult(
        ScanStatus.NOT_SCANNED,
        "No malware scanner is configured (SUPERVISION_MALWARE_SCANNER): this file was not "
        "scanned. Open it only on a machine protected for untrusted files.",
    )
