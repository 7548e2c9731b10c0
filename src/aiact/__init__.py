"""The AI Act as code: pure Python legal rules with dated, cited parameters.

>>> from datetime import date
>>> from aiact import load_law
>>> load_law().date("art101_from", date(2026, 11, 25)).isoformat()
'2026-08-02'
"""

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
from aiact._params import Law, ParamValue, load_law

__all__ = [
    "NOT_IN_FORCE",
    "RULES",
    "Citation",
    "ConflictError",
    "Finding",
    "FineCeiling",
    "IncidentDeadline",
    "InputError",
    "Law",
    "LawSelection",
    "NotInForce",
    "ParamValue",
    "ParameterError",
    "Trace",
    "cite",
    "load_law",
    "rule",
]
