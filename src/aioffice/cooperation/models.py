"""The cooperation models, one module per part (authorities, bodies, exchange, sandboxes,
database, international)."""

from aioffice.cooperation.models_authorities import Authority, MemberState, ResourceReport
from aioffice.cooperation.models_bodies import (
    AgendaItem,
    Body,
    BodyDocument,
    Meeting,
    Membership,
    Opinion,
    StateVote,
)
from aioffice.cooperation.models_database import (
    Registration,
    RegistrationFile,
    RegistrationSequence,
    RegistrationStatusChange,
)
from aioffice.cooperation.models_exchange import (
    DocumentShare,
    ExchangeRequest,
    ProgressReport,
    RequestFile,
    SharedDocument,
)
from aioffice.cooperation.models_international import (
    Agreement,
    AgreementDocument,
    AgreementMemberState,
    AgreementStatusChange,
    DialogueRound,
    Partner,
)
from aioffice.cooperation.models_rwt import (
    ConsentBatch,
    RealWorldTest,
    RwtStep,
    TacitApprovalRule,
)
from aioffice.cooperation.models_sandboxes import (
    ExitReport,
    Sandbox,
    SandboxApplication,
    SandboxPlan,
    SandboxReport,
)

__all__ = [
    "AgendaItem",
    "Agreement",
    "AgreementDocument",
    "AgreementMemberState",
    "AgreementStatusChange",
    "Authority",
    "Body",
    "BodyDocument",
    "ConsentBatch",
    "DialogueRound",
    "DocumentShare",
    "ExchangeRequest",
    "ExitReport",
    "Meeting",
    "MemberState",
    "Membership",
    "Opinion",
    "Partner",
    "ProgressReport",
    "RealWorldTest",
    "Registration",
    "RegistrationFile",
    "RegistrationSequence",
    "RegistrationStatusChange",
    "RequestFile",
    "ResourceReport",
    "RwtStep",
    "Sandbox",
    "SandboxApplication",
    "SandboxPlan",
    "SandboxReport",
    "SharedDocument",
    "StateVote",
    "TacitApprovalRule",
]
