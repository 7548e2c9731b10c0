"""The AI Act as code: pure Python legal rules with dated, cited parameters.

>>> from datetime import date
>>> from aiact import load_law
>>> load_law().date("art101_from", date(2026, 11, 25)).isoformat()
'2026-08-02'
"""

from aiact import _enforcement_checks as _enforcement_checks
from aiact._answer import (
    NOT_IN_FORCE,
    RULES,
    Citation,
    ConflictError,
    Finding,
    FineCeiling,
    IncidentDeadline,
    InputError,
    LawSelection,
    NotInForce,
    ParameterError,
    Trace,
    cite,
    rule,
)
from aiact._code import gpai_code_incident_due
from aiact._compute import ComputeEstimate, estimate_compute, is_near
from aiact._cooperation import cooperation_check, database_visibility, term_end
from aiact._dispatch import evaluate
from aiact._drafting import code_adequacy, code_readiness, code_report_due, drafting_check
from aiact._enforcement_checks import FINE_FACTORS
from aiact._facts import ModelFacts
from aiact._fines_gpai import gpai_fine_ceiling
from aiact._notification import NotificationCheck, check_notification
from aiact._obligations import ModelAssessment, Obligation, assess_model
from aiact._params import Law, ParamValue, load_law
from aiact._procedure import ProcedureCheck, procedure_check
from aiact._schema import model_input_schema
from aiact._systems import (
    SystemAssessment,
    SystemFacts,
    art73_initial_report_due,
    assess_system,
    becomes_provider,
    operator_fine_ceiling,
    system_input_schema,
    union_body_fine_ceiling,
)
from aiact._timeline import Timeline, timeline

__all__ = [
    "FINE_FACTORS",
    "NOT_IN_FORCE",
    "RULES",
    "Citation",
    "ComputeEstimate",
    "ConflictError",
    "Finding",
    "FineCeiling",
    "IncidentDeadline",
    "InputError",
    "Law",
    "LawSelection",
    "ModelAssessment",
    "ModelFacts",
    "NotInForce",
    "NotificationCheck",
    "Obligation",
    "ParamValue",
    "ParameterError",
    "ProcedureCheck",
    "SystemAssessment",
    "SystemFacts",
    "Timeline",
    "Trace",
    "art73_initial_report_due",
    "assess_model",
    "assess_system",
    "becomes_provider",
    "check_notification",
    "cite",
    "code_adequacy",
    "code_readiness",
    "code_report_due",
    "cooperation_check",
    "database_visibility",
    "drafting_check",
    "estimate_compute",
    "evaluate",
    "gpai_code_incident_due",
    "gpai_fine_ceiling",
    "is_near",
    "load_law",
    "model_input_schema",
    "operator_fine_ceiling",
    "procedure_check",
    "rule",
    "system_input_schema",
    "term_end",
    "timeline",
    "union_body_fine_ceiling",
]
