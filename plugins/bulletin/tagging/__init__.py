"""Text → the countries, organisations and people it mentions (see Tagger)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path

from .editorial import EditorialError
from .model import KINDS, Entity, Tag, Tags
from .tagger import Tagger

__all__ = [
    "KINDS",
    "EditorialError",
    "Entity",
    "Tag",
    "Tagger",
    "Tags",
    "load_tagger",
    "tag_many",
    "tag_text",
]

logger = logging.getLogger(__name__)


@functools.cache
def _default() -> Tagger:
    return Tagger()


def tag_text(text: str) -> Tags:
    """Tag a text with the tagger's own rules (no editorial file)."""
    return _default().tag(text)


def tag_many(texts: Sequence[str]) -> list[Tags]:
    """Tag texts like tag_text, together (faster: see Tagger.tag_many)."""
    return _default().tag_many(texts)


def load_tagger(entities_file: Path) -> Tagger:
    """The tagger with the editorial file. A file that cannot be used raises
    EditorialError naming the file, the line and the problem: an editor's renames
    and blocks are never silently dropped."""
    return Tagger(entities_file)
