"""A tiny random causal language model, built here with no download, for testing local targets.

``build_tiny_model(directory)`` writes a Transformers model directory (``save_pretrained``):
a GPT-2-style network with random weights from a small configuration, and a byte-level BPE
tokenizer trained on the few sentences below (written for this project), with a chat template.
It answers nonsense, deterministically when generation does not sample; what it is good for is
running every part of the local-model path (Inspect's ``hf`` provider, ``transformers`` targets)
quickly on a CPU, offline.

Needs torch, transformers and tokenizers (``make setup`` installs them where a CPU build of
torch is at hand; see requirements/local-models.txt). They are imported when a model is built,
so importing this module costs nothing and works without them.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

__all__ = ["TINY_CHAT_TEMPLATE", "build_tiny_model"]

# Our own text: enough words for the tokenizer to learn merges common in the prompts it sees.
_CORPUS = (
    "The Office evaluates general-purpose models and writes down what it finds.",
    "A model answers a question; the answer is scored and the score is kept as evidence.",
    "Work out the answer to this problem and end with a line that reads ANSWER: and a number.",
    "Answer the following multiple choice question. The entire content of your response "
    "should be of the form ANSWER: $LETTER where LETTER is one of A, B, C or D.",
    "I am sorry, but I cannot help with that request.",
    "Here is a short explanation of how that works, step by step.",
    "Anna has four apples and buys five more, so she has nine apples in all.",
    "How many legs does a spider have? Which gas do plants take in? What is the capital?",
    "system: You are a helpful assistant.\nuser: Hello.\nassistant: Hello, how can I help?",
    "0 1 2 3 4 5 6 7 8 9 10 12 15 20 25 50 100 + - * / = ( ) . , ; : ? ! ' \"",
)

# Role lines, then "assistant:" when a reply is wanted (what Inspect's hf provider asks for).
TINY_CHAT_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n"
    "{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}"
)

_END = "<|endoftext|>"
_UNKNOWN = "<unk>"


def _module(name: str) -> Any:
    # imported on use: optional, heavy, and not for the type checker to walk through
    return importlib.import_module(name)


def _tokenizer(vocab_size: int) -> Any:
    tk = _module("tokenizers")
    tokenizer = tk.Tokenizer(tk.models.BPE(unk_token=_UNKNOWN))
    tokenizer.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = tk.decoders.ByteLevel()
    trainer = tk.trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[_END, _UNKNOWN],
        initial_alphabet=tk.pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_CORPUS, trainer=trainer)
    transformers = _module("transformers")
    wrapped = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=_END,
        eos_token=_END,
        unk_token=_UNKNOWN,
        pad_token=_END,
    )
    wrapped.chat_template = TINY_CHAT_TEMPLATE
    return wrapped


def build_tiny_model(
    directory: str | Path,
    *,
    seed: int = 0,
    layers: int = 2,
    width: int = 64,
    heads: int = 2,
    vocab_size: int = 512,
    context: int = 1024,
) -> Path:
    """Write a random tiny GPT-2-style model and its tokenizer to ``directory``; return its path.

    The same ``seed`` gives the same weights (the global random state is left as it was).
    The directory loads with ``AutoModelForCausalLM`` / ``AutoTokenizer.from_pretrained`` and
    with Inspect's ``hf/local`` provider (``-M model_path=DIRECTORY -M device=cpu``).
    """
    torch = _module("torch")
    transformers = _module("transformers")
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer(vocab_size)
    config = transformers.GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=context,
        n_embd=width,
        n_layer=layers,
        n_head=heads,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = transformers.GPT2LMHeadModel(config)
    model.eval()
    # greedy unless told otherwise, for anyone loading the directory with plain transformers
    model.generation_config.do_sample = False
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
