"""Text → the countries, organisations and people it mentions (see Tagger)."""

from __future__ import annotations

import functools

from .editorial import EditorialError
from .model import KINDS, Entity, Tag, Tags
from .tagger import Tagger

__all__ = ["KINDS", "EditorialError", "Entity", "Tag", "Tagger", "Tags", "tag_text"]


@functools.cache
def _default() -> Tagger:
    return Tagger()


def tag_text(text: str) -> Tags:
    """Tag a text with the tagger's own rules (no editorial file)."""
    return _default().tag(text)
