"""API keys of evaluation targets, encrypted at rest.

A key is encrypted with Fernet (AES-128-CBC with HMAC-SHA256) under
``AIOFFICE_TARGET_KEY`` when it is set (a Fernet key: 32 url-safe base64 bytes), otherwise
under a key derived from ``SECRET_KEY`` with HKDF. The database holds the token and a hint
(the key's last four characters); the plain key is only decrypted to be handed to the
Inspect subprocess in its environment, and never written to a log, a spec file or an
audit event.
"""

from __future__ import annotations

import base64
import os
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["SecretUnavailable", "decrypt", "decrypt_or_empty", "encrypt", "hint", "redact"]


class SecretUnavailable(Exception):
    """The stored key cannot be decrypted (the encryption key changed)."""


@cache
def _fernet(configured: str, secret_key: str) -> Fernet:
    if configured:
        return Fernet(configured.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"aioffice evaluation targets"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _current() -> Fernet:
    return _fernet(os.environ.get("AIOFFICE_TARGET_KEY", ""), settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    """The token to store for ``plain`` ("" for no key)."""
    return _current().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The plain key of a stored token ("" for none); SecretUnavailable if it cannot be read."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnavailable(
            "the stored API key cannot be decrypted; enter it again on the target"
        ) from exc


def decrypt_or_empty(token: str) -> str:
    """The plain key of a stored token, or "" when there is none or it cannot be read."""
    try:
        return decrypt(token)
    except (SecretUnavailable, ValueError):  # ValueError: AIOFFICE_TARGET_KEY is malformed
        return ""


def hint(plain: str) -> str:
    """What may be shown of a key: its last four characters."""
    return f"…{plain[-4:]}" if len(plain) > 8 else ("…" if plain else "")


def redact(text: str, plain: str) -> str:
    """``text`` with the key ``plain`` replaced wherever it appears: what an endpoint or a
    library said may quote the key it was sent (an error echoing the request), and such
    text is stored, shown and written to the audit trail."""
    if not plain or not text:
        return text
    return text.replace(plain, "[API key]")
