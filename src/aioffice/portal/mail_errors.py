"""What the portal says about a mail server's refusal in a log or a record: the kind of
error and its SMTP codes, never its text. A refusal's text names the addresses refused
(`SMTPRecipientsRefused` is keyed by them, servers quote them: "550 5.1.1 <ana@...>"), and
logs and delivery records outlive the personal data they would then hold."""

from __future__ import annotations

import smtplib

__all__ = ["refusal"]


def refusal(exc: BaseException) -> str:
    """`SMTPRecipientsRefused: 550`, `SMTPDataError: 554`, `ConnectionRefusedError (errno
    111)`: enough for the Office to see what happened, nothing about whom."""
    name = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(answer[0]) for answer in exc.recipients.values()})
        return f"{name}: {', '.join(codes)}" if codes else name
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{name}: {exc.smtp_code}"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{name} (errno {exc.errno})"
    return name
