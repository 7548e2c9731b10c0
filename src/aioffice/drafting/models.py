"""The drafting models, one module per part (projects, drafts, consultations, analysis,
adoption)."""

from aioffice.drafting.models_adoption import (
    AdequacyAssessment,
    Adoption,
    CodeSignature,
    ImplementationReport,
    IndicatorValue,
    SignatureOpening,
)
from aioffice.drafting.models_analysis import AnalysisRun, Group, GroupMember, Summary
from aioffice.drafting.models_consultations import Consultation, Feedback, Response
from aioffice.drafting.models_drafts import Draft, Section
from aioffice.drafting.models_projects import (
    Declaration,
    Meeting,
    MeetingDocument,
    Member,
    Project,
    ProjectRole,
    WorkingGroup,
)

__all__ = [
    "AdequacyAssessment",
    "Adoption",
    "AnalysisRun",
    "CodeSignature",
    "Consultation",
    "Declaration",
    "Draft",
    "Feedback",
    "Group",
    "GroupMember",
    "ImplementationReport",
    "IndicatorValue",
    "Meeting",
    "MeetingDocument",
    "Member",
    "Project",
    "ProjectRole",
    "Response",
    "Section",
    "SignatureOpening",
    "Summary",
    "WorkingGroup",
]
