"""The compliance checker of the public portal: question flows as versioned data, answers
that travel in the URL, and results computed by ``aiact`` alone
(docs/design/portal-checker.md).

- :func:`current`, :func:`flow_version`, :func:`versions`: the flows (YAML, read once);
- :func:`read`: check the answers of a query string and walk the routing rules;
- :func:`compute`: aiact's answer under the text as amended and as published, arranged for
  the result page;
- ``examples``: named answer sets for tests, the browser test and the bench;
- ``mail``: e-mailing a result to the visitor who asks, and erasing the address later.
"""

from aioffice.portal.checker._answers import Answer, Walk, question_for_field, read
from aioffice.portal.checker._flows import (
    FLOW_KEYS,
    RESULT,
    Flow,
    FlowError,
    Question,
    current,
    flow_version,
    versions,
)
from aioffice.portal.checker._result import Result, compute, eurlex_url

__all__ = [
    "FLOW_KEYS",
    "RESULT",
    "Answer",
    "Flow",
    "FlowError",
    "Question",
    "Result",
    "Walk",
    "compute",
    "current",
    "eurlex_url",
    "flow_version",
    "question_for_field",
    "read",
    "versions",
]
