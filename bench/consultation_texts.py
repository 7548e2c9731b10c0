"""Invented consultation comments for bench/consultations.py: deterministic (a seed),
varied in length (10 to 120 words), about the topics a code of practice is commented on,
with a share of near-duplicate campaigns (one text sent by many with small changes), and
paraphrase-like queries that use other words for the same topics.

Every sentence here is written for the bench; none is taken from a real consultation or
from the Code of Practice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Each topic: the words a comment uses for it, and other words a query uses (the paraphrase).
TOPICS: list[tuple[str, str]] = [
    ("the summary of training data", "the public overview of the data a model learned from"),
    ("the copyright opt-out", "rightholders' reservation of their works from text mining"),
    ("the evaluation of systemic risks", "testing a model for risks at the scale of society"),
    ("serious incident reporting", "telling the Office when something goes badly wrong"),
    ("the model documentation for downstream providers", "the technical file given to integrators"),
    ("the cybersecurity of model weights", "protecting the parameters from theft"),
    ("adversarial testing by red teams", "attack exercises run by independent testers"),
    ("the watermarking of generated images", "invisible marks in pictures made by machines"),
    ("the labelling of deep fakes", "telling viewers that a video was synthetically made"),
    ("the key performance indicators", "the figures used to measure whether a measure works"),
    ("the compute threshold", "the amount of floating point operations used in training"),
    ("open-source exemptions", "the lighter duties for models released with open weights"),
    ("the acceptable use policy", "the rules a provider sets for how its model may be used"),
    ("energy consumption disclosure", "reporting how much electricity training consumed"),
    ("the complaint mechanism for rightholders", "a channel where authors can object"),
    ("crawler transparency", "saying which web robots collected the data"),
    ("post-market monitoring", "watching the model after it has been released"),
    ("the role of the scientific panel", "the independent experts who raise alerts"),
    ("small and medium enterprises", "the burden on start-ups and small firms"),
    ("the timeline for compliance", "how many months providers get before the rules apply"),
    ("fine-tuning by downstream modifiers", "companies that adapt a model and become providers"),
    ("the risk acceptance criteria", "deciding when a remaining risk is tolerable"),
    ("external assessors", "outside auditors checking the safety work"),
    ("the protection of trade secrets", "keeping confidential business information private"),
    ("chemical and biological misuse", "helping someone build dangerous weapons"),
    ("loss of control scenarios", "a model acting beyond its developers' oversight"),
    ("manipulation of elections", "influencing voters with generated content at scale"),
    ("the detection tools for synthetic text", "software that recognises machine-written prose"),
    ("the interoperability of marking techniques", "different marks that readers can all check"),
    ("the record keeping obligations", "keeping logs and files for ten years"),
]

ACTORS = [
    "providers",
    "small developers",
    "research institutes",
    "publishers",
    "musicians",
    "national authorities",
    "downstream integrators",
    "consumer organisations",
    "universities",
    "public broadcasters",
    "cloud platforms",
    "news agencies",
]
AMOUNTS = ["six", "twelve", "eighteen", "twenty-four", "thirty-six"]

OPENERS = {
    "support": [
        "We support the approach to {topic} in {section}.",
        "Our organisation welcomes what {section} says about {topic}.",
        "The wording on {topic} in {section} is a clear improvement.",
        "We agree with the drafters on {topic}.",
    ],
    "oppose": [
        "We oppose the current text on {topic} in {section}.",
        "The measure on {topic} goes too far and should be deleted from {section}.",
        "We cannot accept what {section} requires regarding {topic}.",
        "The provisions on {topic} are unworkable as drafted.",
    ],
    "comment": [
        "A few remarks on {topic} in {section}.",
        "We would like to comment on {topic}.",
        "{section} raises questions about {topic} that the next draft should answer.",
        "Regarding {topic}, some clarifications are needed.",
    ],
}
REASONS = [
    "The burden on {actor} would be disproportionate.",
    "It is unclear how {actor} are expected to demonstrate compliance with {topic}.",
    "A transition period of {amount} months would be more realistic for {actor}.",
    "The text should refer to recognised standards rather than invent new ones.",
    "We recommend that the Office publishes a template so that {actor} report in the same way.",
    "Evidence from past incidents shows that {topic} matters most for {actor}.",
    "The definitions should be aligned with the Regulation to avoid legal uncertainty.",
    "Without {topic} the code would lose credibility with {actor}.",
    "Costs for {actor} have not been estimated in the explanatory notes.",
    "The measure duplicates existing obligations and should be merged with another one.",
    "The indicators proposed cannot be measured in practice by {actor}.",
    "We ask the chairs to hold a workshop with {actor} on this point.",
    "Confidential information shared with the Office must stay protected.",
    "International partners follow a different approach and the code should explain why.",
    "The draft leaves too much discretion to providers on {topic}.",
    "Our members, mostly {actor}, report that this would change their release plans.",
    "The deadline of {amount} months is too short for {actor}.",
    "Please add an example of good practice for {topic}.",
]
CLOSERS = [
    "We remain available for further discussion.",
    "Thank you for the opportunity to comment.",
    "We will send more detailed evidence in the next round.",
    "",
    "",
]

QUERY_FORMS = [
    "{alt}",
    "concerns about {alt}",
    "is {alt} too costly for {actor}",
    "who supports the rules on {alt}",
    "objections from {actor} to {alt}",
    "more time needed for {alt}",
]


@dataclass(frozen=True)
class Comment:
    text: str
    topic: int
    position: str
    section: int  # index into the draft's sections
    campaign: int | None  # which campaign, for copies of a campaign's text


def _sentence(template: str, rng: random.Random, topic: str, section: str) -> str:
    return template.format(
        topic=topic,
        section=section,
        actor=rng.choice(ACTORS),
        amount=rng.choice(AMOUNTS),
    )


def _length(rng: random.Random) -> int:
    """Words wanted: 10 to 114 (a campaign copy adds up to 6), most between 25 and 60."""
    return max(10, min(114, int(rng.lognormvariate(3.7, 0.5))))


def _compose(rng: random.Random, topic: int, position: str, section: str) -> str:
    words = _length(rng)
    name = TOPICS[topic][0]
    parts = [_sentence(rng.choice(OPENERS[position]), rng, name, section)]
    count = len(parts[0].split())
    while count < words:
        sentence = _sentence(rng.choice(REASONS), rng, name, section)
        parts.append(sentence)
        count += len(sentence.split())
    closer = rng.choice(CLOSERS)
    if closer and count < 114 - len(closer.split()):
        parts.append(closer)
    text = " ".join(parts)
    split = text.split()
    if len(split) > 114:
        text = " ".join(split[:114])
    return text


def _variant(rng: random.Random, text: str) -> str:
    """A campaign copy: the same text with a word or a sentence changed."""
    choice = rng.random()
    if choice < 0.4:
        return text
    if choice < 0.7:
        return f"{rng.choice(['Dear Office,', 'To the chairs:', 'Hello,'])} {text}"
    if choice < 0.9:
        return text.replace(" the ", " this ", 1)
    return f"{text} Signed on behalf of our members."


def comments(
    count: int,
    *,
    seed: int,
    sections: list[str],
    campaign_share: float = 0.1,
    campaign_size: int = 40,
) -> list[Comment]:
    """`count` comments; about `campaign_share` of them are copies (with small changes) of
    campaign texts, `campaign_size` copies each on average."""
    rng = random.Random(seed)
    campaigns: list[tuple[str, int, str, int]] = []
    made: list[Comment] = []
    for _ in range(count):
        if campaigns and rng.random() < campaign_share:
            number = rng.randrange(len(campaigns))
            text, topic, position, section = campaigns[number]
            made.append(Comment(_variant(rng, text), topic, position, section, number))
            continue
        topic = rng.randrange(len(TOPICS))
        position = rng.choices(["support", "oppose", "comment"], [3, 3, 4])[0]
        section = rng.randrange(len(sections))
        text = _compose(rng, topic, position, sections[section])
        made.append(Comment(text, topic, position, section, None))
        if len(campaigns) * campaign_size < len(made) * campaign_share:
            campaigns.append((text, topic, position, section))
    return made


def queries(count: int, *, seed: int) -> list[tuple[str, int]]:
    """`count` (query, topic) pairs that name a topic in other words than the comments."""
    rng = random.Random(seed + 1)
    made = []
    for _ in range(count):
        topic = rng.randrange(len(TOPICS))
        form = rng.choice(QUERY_FORMS)
        made.append((form.format(alt=TOPICS[topic][1], actor=rng.choice(ACTORS)), topic))
    return made
