"""Seed files → validated text, date, title, summary and slug.

A seed is plain text: it starts with ``date YYYY-MM-DD`` (or ``date:``, or an
ISO datetime with zone) and the first paragraph follows on the same line;
paragraphs are separated by blank lines.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .slugs import make_slug

TITLE_MAX = 90
SUMMARY_MAX = 300
SLUG_MAX_WORDS = 10

_DATE_LINE = re.compile(r"date\s*:?[ \t]*(\S+)[ \t]*", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Control characters other than tab and newline; they are dropped from text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A sentence ends at . ! or ? followed by space and an upper-case letter or a
# quote, unless the dot closes an initial or abbreviation such as "U.S.".
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St))[.!?](?=\s+[\"“‘(]?[A-Z])")
_CLAUSE_END = re.compile(r"[,;:—–]\s|\s-\s")
_WEAK_ENDINGS = frozenset(
    "a an and as at by for from in into of on or the to with who which that "
    "has have had is was were be been its their his her".split()
)


class SeedError(ValueError):
    """A seed that cannot be published, with the reason."""


@dataclass(frozen=True)
class Seed:
    """One readable seed: its text split into paragraphs and its metadata."""

    path: Path
    date: datetime
    paragraphs: tuple[str, ...]
    title: str
    summary: str
    slug: str
    digest: str
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def read_seed(path: Path) -> Seed:
    """Read and validate one seed file; raise SeedError naming the problem."""
    raw = Path(path).read_bytes()
    return parse_seed(raw, Path(path))


def parse_seed(raw: bytes, path: Path) -> Seed:
    """Parse the bytes of a seed file."""
    warnings = []
    if b"\x00" in raw:
        raise SeedError("binary content (NUL bytes), not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8; decoded as cp1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
        warnings.append("control characters removed")
    text = text.strip()
    if not text:
        raise SeedError("empty file")

    match = _DATE_LINE.match(text)
    if not match:
        raise SeedError("no date: the seed must start with 'date YYYY-MM-DD'")
    date = parse_date(match.group(1))
    paragraphs = split_paragraphs(text[match.end() :])
    if not paragraphs:
        raise SeedError("no text after the date")

    title = make_title(paragraphs[0])
    return Seed(
        path=path,
        date=date,
        paragraphs=paragraphs,
        title=title,
        summary=clip(paragraphs[0], SUMMARY_MAX),
        slug=title_slug(title),
        digest=hashlib.sha256("\n\n".join(paragraphs).encode()).hexdigest(),
        warnings=tuple(warnings),
    )


def parse_date(value: str) -> datetime:
    """Parse an ISO date or datetime; naive values are taken as UTC."""
    try:
        date = datetime.fromisoformat(value)
    except ValueError:
        raise SeedError(f"invalid date {value!r}: expected YYYY-MM-DD") from None
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date


def split_paragraphs(body: str) -> tuple[str, ...]:
    """Split at blank lines; lines within a paragraph are joined by spaces."""
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(body))
    return tuple(p for p in paragraphs if p)


def lead_sentence(paragraph: str) -> str:
    match = _SENTENCE_END.search(paragraph)
    return paragraph[: match.start()] if match else paragraph.rstrip(".!?")


def make_title(paragraph: str) -> str:
    """The lead sentence, clipped at a clause or word boundary."""
    sentence = lead_sentence(paragraph)
    if len(sentence) <= TITLE_MAX:
        return sentence
    clauses = [m.start() for m in _CLAUSE_END.finditer(sentence, 0, TITLE_MAX)]
    if clauses and clauses[-1] >= TITLE_MAX // 2:
        return sentence[: clauses[-1]]
    return clip(sentence, TITLE_MAX)


def clip(text: str, limit: int) -> str:
    """Cut text at a word boundary within limit, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    words = _trim_weak_ending(text[: limit + 1].split()[:-1]) or [text[:limit]]
    return " ".join(words).rstrip(",;:—–-") + "…"


def _trim_weak_ending(words: list[str]) -> list[str]:
    """Drop trailing words such as "of the" that leave a phrase hanging."""
    while len(words) > 1 and words[-1].lower().strip(",;:") in _WEAK_ENDINGS:
        words = words[:-1]
    return words


def title_slug(title: str) -> str:
    """An ASCII slug of the title's first words."""
    words = _trim_weak_ending(title.rstrip("…").split()[:SLUG_MAX_WORDS])
    return make_slug(" ".join(words)) or "post"
