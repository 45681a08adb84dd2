"""Bodies the region's news names partly in lower case, named as written: local bodies
by their place, level and kind (data/bodies.yml `local_levels`, `local_kinds`: "Ⲁⲁ
district criminal court", "the Ⲁⲁ city court", "Ⲁⲁ district khokimiyat"), and a kind
of body with its portfolio in lower case acting ("The Agency for external labour
migration released a statement": `heads`, `not_in_portfolios`)."""

from __future__ import annotations

import functools
import re

from ..slugs import make_slug
from .gazetteer import bodies, countries, roles
from .matcher import Match, alternation, covered_mask
from .model import Entity
from .ner import COMMON
from .organisations import acts


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """A quick test (a level, then a kind) and the name: one or two capitalised words
    of its place before them."""
    levels = alternation(bodies()["local_levels"])
    kinds = alternation(bodies()["local_kinds"])
    return (
        re.compile(rf" (?:{levels}) (?:{kinds})(?![\w-])"),
        re.compile(rf"(?<![\w'’.-])((?:[A-Z][\w'’-]+ ){{1,2}})(?:{levels}) (?:{kinds})(?![\w-])"),
    )


def find_local_bodies(text: str, known: list[Match]) -> list[Match]:
    """The local bodies named by place, level and kind that overlap nothing `known`
    (bodies found; a city's name may be the place, "the Osh city court"), but not
    named by a country's name or adjective ("a Kazakh district court" names none)."""
    quick, name = _patterns()
    if not quick.search(text):  # a quick test first
        return []
    taken = covered_mask(text, known)
    found = []
    for hit in name.finditer(text):
        start = hit.start()
        words = hit.group(1).split()
        while words and words[0] in COMMON:  # "The Ⲁⲁ city court"
            start += len(words.pop(0)) + 1
        if not words or any(taken[start : hit.end()]) or words[0] in countries():
            continue
        surface = text[start : hit.end()]
        found.append(
            Match(start, hit.end(), surface, Entity("organisations", surface, make_slug(surface)))
        )
    return found


@functools.cache
def _portfolio_in_lower_case() -> re.Pattern:
    """ "the Agency for external labour migration": a head, "for", "of" or "on", then one
    to four words in lower case (three letters or more; "and" between)."""
    heads = alternation(bodies()["heads"])
    word = r"[a-z][a-z-]{2,}"
    return re.compile(
        rf"\b[Tt]he ((?:{heads}) (?:for|of|on) {word}(?: (?:and )?{word}){{0,3}})(?![\w-])"
    )


def find_lower_case_portfolios(text: str, known: list[Match]) -> list[Match]:
    """A kind of body with its portfolio in lower case, as the subject of a verb ("The
    Agency for external labour migration released …"; organisations.acts): the words
    of the portfolio, up to the verb, no word of `not_in_portfolios` ("the Agency for
    two years refused …"), overlapping nothing `known`."""
    found = []
    taken = None
    stop = _not_in_portfolios()
    for hit in _portfolio_in_lower_case().finditer(text):
        start = hit.start(1)
        words = hit.group(1).split(" ")
        # the verb may be among the words ("… issues has prepared"): the name ends at
        # the longest run of them, no auxiliary among them, that a verb follows
        for n in range(len(words), 2, -1):
            end = start + len(" ".join(words[:n]))
            if stop.intersection(words[2:n]) or words[n - 1] == "and":
                continue
            probe = Match(start, end, "", None)
            if acts(text, probe):
                break
        else:
            continue
        taken = covered_mask(text, known) if taken is None else taken
        if any(taken[start:end]):
            continue
        surface = text[start:end]
        found.append(
            Match(start, end, surface, Entity("organisations", surface, make_slug(surface)))
        )
    return found


@functools.cache
def _not_in_portfolios() -> frozenset[str]:
    """Words no portfolio holds: bodies.yml `not_in_portfolios`, and the auxiliaries and
    modals between a body and its verb (roles.yml: "… issues ▯has prepared")."""
    words = roles()
    helpers = {w for phrase in words["auxiliaries"] + words["modals"] for w in phrase.split()}
    return frozenset(bodies()["not_in_portfolios"]) | helpers
