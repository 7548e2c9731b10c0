"""Inspect's mock model, made safe to use offline.

``mockllm/model`` counts tokens with tiktoken when an output carries no usage figures, and
tiktoken downloads its encoding on first use; every output made here carries usage, so a
run on the mock model never reaches the network.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    Model,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    get_model,
    modelapi,
)
from inspect_ai.tool import ToolChoice, ToolInfo

MOCK_MODEL = "mockllm/model"


def mock_output(text: str) -> ModelOutput:
    """A mock completion with token counts set (rough: one token per word)."""
    output = ModelOutput.from_content(model=MOCK_MODEL, content=text)
    output.usage = ModelUsage(input_tokens=10, output_tokens=len(text.split()), total_tokens=0)
    output.usage.total_tokens = output.usage.input_tokens + output.usage.output_tokens
    return output


def mock_model(respond: Callable[[str], str] | str = "ANSWER: A") -> Model:
    """Inspect's mock model answering each prompt with ``respond(prompt)`` (or a fixed text).

    The prompt passed to ``respond`` is the text of the last message the model was sent.
    """

    def answer(
        messages: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        prompt = messages[-1].text if messages else ""
        return mock_output(respond if isinstance(respond, str) else respond(prompt))

    return get_model(MOCK_MODEL, custom_outputs=answer, memoize=False)


class FixedAnswerAPI(ModelAPI):
    """A model that answers every prompt with the ``answer`` model argument, offline.

    For the command line, where a Python callable cannot be passed:
    ``inspect eval ... --model gpai_mock/fixed -M answer="ANSWER: B"``.
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),  # noqa: B008 - Inspect's own default
        answer: str | dict[str, Any] = "ANSWER: A",
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        # the command line reads -M values as YAML, so answer="ANSWER: B" arrives as a mapping
        if isinstance(answer, dict):
            answer = "\n".join(f"{key}: {value}" for key, value in answer.items())
        self.answer = str(answer)

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        return mock_output(self.answer)


@modelapi(name="gpai_mock")
def gpai_mock() -> type[ModelAPI]:
    """Registers ``gpai_mock/<any name>`` with Inspect (through our entry point)."""
    return FixedAnswerAPI
