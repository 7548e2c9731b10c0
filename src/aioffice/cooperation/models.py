"""The cooperation models, one module per part (authorities, bodies, exchange, sandboxes,
database, international)."""

from aioffice.cooperation.models_authorities import Authority
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    AgreementMemberState,
    AgreementStatusChange,
    DialogueRound,
    Partner,
)

__all__ = [
    "Agreement",
    "AgreementDocument",
    "AgreementMemberState",
    "AgreementStatusChange",
    "Authority",
    "DialogueRound",
    "Partner",
]
