"""The procedural checks of Chapter IX, Section 5 (ENF-01..06, FINE-02; AI-ACT.md §9.4).

Registered in `aiact._procedure.CHECKS`; run through `aiact.procedure_check(step, facts,
on=..., law=...)`.
"""

from __future__ import annotations
