"""What Inspect finds through the ``inspect_ai`` entry point: ``inspect eval gpai_evals/NAME``.

Only our own probe tasks and the wrapped tasks are registered here; tasks the catalogue takes
unchanged from inspect-evals are run under their own names (``inspect_evals/NAME``). The
``gpai_mock`` model provider answers offline (``--model gpai_mock/fixed -M answer=...``).
"""

from gpai_evals._mock import gpai_mock
from gpai_evals._probes import (
    arithmetic_probe,
    over_refusal_probe,
    refusal_probe,
    self_knowledge_probe,
)
from gpai_evals._wrapped import gsm8k, wmdp_bio, wmdp_chem, wmdp_cyber, xstest

__all__ = [
    "arithmetic_probe",
    "gpai_mock",
    "gsm8k",
    "over_refusal_probe",
    "refusal_probe",
    "self_knowledge_probe",
    "wmdp_bio",
    "wmdp_chem",
    "wmdp_cyber",
    "xstest",
]
