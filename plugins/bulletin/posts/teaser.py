"""The text of a post's card in a listing: what follows its headline. The headline
is the lead's first sentence (seeds.make_title), so a card showing the lead would
say it twice."""

from __future__ import annotations

from ..seeds.seeds import SUMMARY_MAX, clip

_SKIP = " .!?,;:–—-"


def teaser(seed) -> str:
    """The text after the headline, clipped: "…" first when the headline stopped
    inside its sentence; "" when the headline is the whole text."""
    text = " ".join(seed.paragraphs)
    stem = seed.title.rstrip("…")
    at = text.find(stem)
    if at < 0:  # not found as such: the lead, as before
        return seed.summary
    after = text[at + len(stem) :]
    rest = after.lstrip(_SKIP)
    if not rest:
        return ""
    cut = after[:1] not in ".!?"  # the headline is not the whole sentence
    return clip(("…" if cut else "") + rest, SUMMARY_MAX)
