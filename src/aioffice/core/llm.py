"""An optional OpenAI-compatible chat-completions client for machine-written summaries.

Off unless the Office configures an endpoint (`AIOFFICE_LLM_BASE_URL` and
`AIOFFICE_LLM_MODEL`; `AIOFFICE_LLM_API_KEY` where the endpoint wants a bearer key). Nothing
in the application needs it: a page shows its button only while `configured()`.

`complete(prompt)` sends one user message and returns a `Completion` with the endpoint, the
model the endpoint says answered, the full prompt sent and the times asked and answered, so
that the caller can store them next to the text. Every failure (no answer within the
timeout, a refused key, an error status, an empty answer) is an `LlmError` whose message can
be shown to the person who asked; it never carries the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

__all__ = ["Completion", "LlmError", "complete", "configured", "endpoint"]

MAX_ANSWER_TOKENS = 800


class LlmError(Exception):
    """The endpoint could not give a summary; `str(error)` is fit to show."""


@dataclass(frozen=True)
class Completion:
    endpoint: str
    model: str  # as the endpoint returned it
    prompt: str  # the full text sent
    text: str
    requested_at: datetime
    received_at: datetime


def endpoint() -> str:
    return str(getattr(settings, "LLM_BASE_URL", "") or "").strip()


def _model() -> str:
    return str(getattr(settings, "LLM_MODEL", "") or "").strip()


def configured() -> bool:
    """Whether the Office configured an endpoint and a model."""
    return bool(endpoint()) and bool(_model())


def complete(prompt: str, *, max_tokens: int = MAX_ANSWER_TOKENS) -> Completion:
    """Ask the configured endpoint to answer `prompt` (one user message, temperature 0)."""
    if not configured():
        raise LlmError("No summary service is configured.")
    import openai  # imported here: only the summary feature needs it

    timeout = float(getattr(settings, "LLM_TIMEOUT_SECONDS", 60) or 60)
    client = openai.OpenAI(
        base_url=endpoint(),
        api_key=str(getattr(settings, "LLM_API_KEY", "") or "") or "not-needed",
        timeout=timeout,
        max_retries=0,
    )
    requested_at = timezone.now()
    try:
        answer = client.chat.completions.create(
            model=_model(),
            messages=[{"role": "user", "content": prompt}],
            temperature=0,
            max_tokens=max_tokens,
        )
    except openai.APITimeoutError as exc:
        raise LlmError(f"The summary service did not answer within {timeout:g} seconds.") from exc
    except openai.AuthenticationError as exc:
        raise LlmError("The summary service refused the configured key.") from exc
    except openai.APIStatusError as exc:
        raise LlmError(f"The summary service answered with an error ({exc.status_code}).") from exc
    except openai.APIConnectionError as exc:
        raise LlmError("The summary service could not be reached.") from exc
    except openai.OpenAIError as exc:
        raise LlmError("The summary service gave an answer that could not be read.") from exc
    finally:
        client.close()
    received_at = timezone.now()
    choices = getattr(answer, "choices", None) or []
    text = (choices[0].message.content or "").strip() if choices else ""
    if not text:
        raise LlmError("The summary service gave an empty answer.")
    return Completion(
        endpoint=endpoint(),
        model=str(getattr(answer, "model", "") or _model()),
        prompt=prompt,
        text=text,
        requested_at=requested_at,
        received_at=received_at,
    )
