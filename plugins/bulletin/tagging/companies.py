"""Companies by their legal form (data/bodies.yml, `legal_forms`): a run of
capitalised words ending in one is a company's name ("Fininvest LLC", «Alatau
Trading» JSC), and where one ends inside a span of the name recogniser, the span holds
two names ("… Operation Co., Ltd and Slavtrans Service")."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .institutions import legal_forms
from .matcher import Match, covered_mask
from .model import Entity
from .ner import Span

_WORD = r"(?:[A-Z][\w'’&.-]*\w|[A-Z])"
_QUOTES = '«»"“”'


def _forms() -> str:
    return "|".join(map(re.escape, sorted(legal_forms(), key=len, reverse=True)))


@functools.cache
def _company() -> re.Pattern:
    forms = _forms()
    return re.compile(
        rf"(?<![\w'’-])([«\"“]?{_WORD}(?: {_WORD}){{0,5}}[»\"”]?),? (?:{forms})(?![\w-])"
    )


@functools.cache
def _any_form() -> re.Pattern:
    """What every match of _company holds: a legal form after a blank. Searched first,
    it spares _company's search (a tenth of the cost) in the texts that name no company
    by its legal form (most: not one of the first 1,000 Reuters texts)."""
    return re.compile(rf" (?:{_forms()})(?![\w-])")


@functools.cache
def _form_then_name() -> re.Pattern:
    forms = _forms()
    return re.compile(rf"(,? (?:{forms}))(?:,| and) (?=[A-Z«\"“])")  # the name, the join


def find_companies(text: str, known: list[Match], spans: list[Span]) -> list[Match]:
    """Names ending in a legal form that overlap nothing `known`, nor end an
    organisation of the recogniser's that starts before them (it has the whole name)."""
    if not _any_form().search(text):  # a quick test first
        return []
    taken = covered_mask(text, known)
    found = []
    for hit in _company().finditer(text):
        start = hit.start(1)
        words = hit.group(1).split(" ")
        if words[0] in ("The", "A", "An"):
            start += len(words[0]) + 1
        if any(taken[start : hit.end()]) or start >= hit.end(1):
            continue
        if any(s.start < start and s.end >= hit.end() for s in spans if s.label == "ORG"):
            continue  # "… Construction and Operation Co., Ltd": the recogniser's, whole
        surface = text[start : hit.end()]
        name = " ".join(surface.translate(str.maketrans("", "", _QUOTES)).split())
        found.append(
            Match(start, hit.end(), surface, Entity("organisations", name, make_slug(name)))
        )
    return found


def split_after_legal_forms(text: str, spans: list[Span]) -> list[Span]:
    """The recogniser's spans, each cut after a legal form that another name follows."""
    if not _any_form().search(text):  # a quick test first
        return spans
    found = []
    for span in spans:
        start = span.start
        for hit in _form_then_name().finditer(text, span.start, span.end):
            found.append(Span(start, hit.end(1), span.label, text[start : hit.end(1)]))
            start = hit.end()  # the next name, after the join
        found.append(
            span
            if start == span.start
            else Span(start, span.end, span.label, text[start : span.end])
        )
    return found
