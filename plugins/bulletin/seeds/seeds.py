"""Seed files → validated text, date, title, summary and slug.

A seed is plain text: it starts with ``date YYYY-MM-DD`` (or ``date:``, or an
ISO datetime with zone) and the first paragraph follows on the same line;
paragraphs are separated by blank lines. Seed text is untrusted: whatever it
holds, a seed either parses into clean text or raises SeedError saying why.

Headers (optional): when the date line holds only the date, the lines right after
it, up to the first blank line, may be headers, ``key: value`` with the key in any
case:

    date 2024-05-20
    Title: The headline, as written (instead of the lead sentence)
    slug: the-last-part-of-the-url

The first line that is not a header starts the text; a header is never text.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..slugs import make_slug

TITLE_MAX = 90
SUMMARY_MAX = 300
SLUG_MAX_WORDS = 10
MAX_BYTES = 8 * 2**20  # larger files are refused unread (tagging 16 MB takes ~1 GB)
HUGE_BYTES = 2**20  # larger seeds are published with a warning
YEARS = range(1900, 3000)  # a date outside is a typo, and would overflow in time zone sums

_DATE_LINE = re.compile(r"date\s*:?[ \t]*(\S*)[ \t]*", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Not text: C0 controls but tab and newline, DEL, C1 controls, and the BMP
# noncharacters (XML forbids U+FFFE and U+FFFF). They are dropped.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Bytes that text does not hold: C0 controls but blank space, and DEL. A seed
# where they make BINARY_SHARE of the bytes or more is binary.
_CONTROL_BYTES = [bytes([b]) for b in (*range(0x09), *range(0x0E, 0x20), 0x7F)]
BINARY_SHARE = 0.01
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A sentence ends at . ! or ? followed by space and an upper-case letter or a
# quote, unless the dot closes an initial or abbreviation such as "U.S.".
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St))[.!?](?=\s+[\"“‘(]?[A-Z])")
# A dateline before the lead sentence: "ASTANA. KAZINFORM – ", "LONDON, March 3 - ",
# "ANKARA (Anadolu) — ": a place in capitals, then an agency or a date, then a dash.
_DATELINE = re.compile(
    r"[^\W\d_a-z](?:[^\W\d_a-z]|[ .'’-](?=[^\W\d_a-z]))*[^\W\d_a-z]"  # ASTANA, NEW YORK
    r"(?:\. [^\W\d_a-z][^\W\d_a-z]*"  # . KAZINFORM
    r"|, (?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,8}|\d{4}-\d\d-\d\d)(?:, \d{4})?"
    r"|\s?\([^\W\d_][^()\n]{0,29}\))+"  # (Reuters)
    r"\s[–—-]+\s+(?=\S)"
)
_HEADER = re.compile(r"[ \t]*(title|slug)[ \t]*:[ \t]*(.*?)[ \t]*", re.IGNORECASE)
# HTML in a seed (shown as typed: a seed is plain text): tags of HTML elements, as
# html_tags() tells them from Reuters' "<Company Name>", and character references.
_TAG_LIKE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
_CHARACTER_REFERENCE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
HTML_ELEMENTS = frozenset(
    word
    for line in (Path(__file__).parent.parent / "data" / "html_elements.txt")
    .read_text()
    .splitlines()
    if not line.startswith("#")
    for word in line.split()
)
_CLAUSE_END = re.compile(r"[,;:—–]\s|\s-\s")
_WEAK_ENDINGS = frozenset(
    "a an and as at by for from in into of on or the to with who which that "
    "has have had is was were be been its their his her".split()
)


class SeedError(ValueError):
    """A seed that cannot be published, with the reason."""


@dataclass(frozen=True)
class Seed:
    """One readable seed: its text split into paragraphs and its metadata.

    warnings say what was lost or guessed in reading it (a legacy encoding,
    characters removed); notes what was harmlessly normalised (CRLF, a BOM).
    """

    path: str  # as the seeds folder was listed (a str: 100,000 Path objects cost 0.3 s a build)
    date: datetime
    paragraphs: tuple[str, ...]
    title: str
    summary: str
    slug: str
    digest: str
    warnings: tuple[str, ...] = ()
    slug_header: str = ""  # the slug a `slug:` header asked for ("" if none)
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def read_seed(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> Seed:
    """Read and validate one seed file; raise SeedError naming the problem."""
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        raw = file.read(max_bytes + 1) if size <= max_bytes else b""
    if max(size, len(raw)) > max_bytes:
        raise SeedError(f"too large: over {max_bytes // 2**20} MB, not read")
    return parse_seed(raw, path)


def parse_seed(raw: bytes, path: str | os.PathLike) -> Seed:
    """Parse the bytes of a seed file."""
    text, warning = decode(raw)
    warnings = [warning] if warning else []
    notes = ["byte-order mark removed"] if text.startswith("\ufeff") else []
    if "\r" in text:
        notes.append("CR or CRLF line ends read as LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    if removed := len(_CONTROL.findall(text)):
        text = _CONTROL.sub("", text)
        warnings.append(f"{removed} control or non-characters removed")
    if len(raw) > HUGE_BYTES:
        warnings.append(f"very large ({len(raw) / 2**20:.1f} MB)")
    text = text.strip()
    if not text:
        raise SeedError("empty file (no text)")

    match = _DATE_LINE.match(text)
    if not match or not match.group(1):
        raise SeedError("no date: the seed must start with 'date YYYY-MM-DD'")
    date = parse_date(match.group(1))
    headers, body = read_headers(text[match.end() :], warnings)
    paragraphs = split_paragraphs(body)
    if not paragraphs:
        raise SeedError("no text after the date")
    if found := (html_tags(body) or [_CHARACTER_REFERENCE.search(body)])[0]:
        warnings.append(
            f"holds HTML markup ({clip(found.group(), 40)}): a seed is plain text, "
            "so it is shown as typed"
        )

    title = headers.get("title") or make_title(paragraphs[0])
    return Seed(
        path=os.fspath(path),
        date=date,
        paragraphs=paragraphs,
        title=title,
        summary=clip(paragraphs[0], SUMMARY_MAX),
        slug=headers.get("slug") or title_slug(title),
        digest=hashlib.sha256("\n\n".join(paragraphs).encode()).hexdigest(),
        warnings=tuple(warnings),
        slug_header=headers.get("slug", ""),
        notes=tuple(notes),
    )


def read_headers(body: str, warnings: list[str]) -> tuple[dict[str, str], str]:
    """The headers at the start of body (the text after the date) and the text after
    them. Headers come only when the date line ends right after the date; they run
    up to the first blank line or the first line that is not a header. A header
    with no usable value, or repeated, is named in warnings."""
    if not body.startswith("\n"):
        return {}, body
    headers: dict[str, str] = {}
    lines = body[1:].split("\n")
    taken = 0
    for line in lines:
        match = _HEADER.fullmatch(line)
        if not match:
            break
        taken += 1
        key, value = match.group(1).lower(), " ".join(match.group(2).split())
        if key == "slug":
            value = make_slug(value)
        if not value:
            warnings.append(f"{match.group(1)}: header with no usable value, ignored")
            continue
        if key in headers:
            warnings.append(f"{key}: header given twice, the last one is used")
        headers[key] = value
    return headers, "\n".join(lines[taken:])


def decode(raw: bytes) -> tuple[str, str | None]:
    """The text of a seed and, unless it was UTF-8, a warning saying how it was read:
    UTF-16/32 with a byte-order mark; UTF-8 with a few bad bytes replaced by U+FFFD;
    else cp1252 (Latin-1 if cp1252 fails). Binary data raises SeedError."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(codec), f"decoded as {codec.upper()} (byte-order mark)"
            except UnicodeDecodeError as error:
                raise SeedError(
                    f"undecodable: has a {codec.upper()} byte-order mark but {error.reason} at byte {error.start}"
                ) from None
    if b"\x00" in raw and binary(raw):
        raise SeedError(
            f"binary content (NUL or other control bytes are over {BINARY_SHARE:.0%} of it): "
            "not a text file, or UTF-16 without a byte-order mark"
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        problem = f"not valid UTF-8 ({error.reason} at byte {error.start})"
    if _UTF8_MULTIBYTE.search(raw):
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - raw.count("\ufffd".encode())
        return text, f"{problem}: read as UTF-8, {bad} bad sequences replaced by '\ufffd'"
    try:
        return raw.decode("cp1252"), f"{problem}: decoded as cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), f"{problem}: decoded as Latin-1"


def binary(raw: bytes) -> bool:
    """Whether bytes are binary data, not text with a few stray control bytes: NUL
    and the other control bytes that are not blank space (tab, line ends, form
    feed) make BINARY_SHARE or more of them. Stray ones are removed (parse_seed)."""
    controls = sum(raw.count(byte) for byte in _CONTROL_BYTES)
    return controls >= BINARY_SHARE * len(raw)


def parse_date(value: str) -> datetime:
    """Parse an ISO date or datetime; naive values are taken as UTC."""
    try:
        date = datetime.fromisoformat(value)
    except ValueError as error:  # say why 2024-02-30 is wrong, not that "yesterday" is
        why = "" if str(error).startswith("Invalid isoformat") else f" ({error})"
        raise SeedError(f"invalid date {value!r}{why}: expected YYYY-MM-DD") from None
    if date.year not in YEARS:
        raise SeedError(f"impossible date {value!r}: the year must be {YEARS[0]}–{YEARS[-1]}")
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date


def split_paragraphs(body: str) -> tuple[str, ...]:
    """Split at blank lines; lines within a paragraph are joined by spaces."""
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(body))
    return tuple(p for p in paragraphs if p)


def lead_sentence(paragraph: str) -> str:
    match = _SENTENCE_END.search(paragraph)
    return (paragraph[: match.start()] if match else paragraph.rstrip(".!?")).rstrip()


def make_title(paragraph: str) -> str:
    """The lead sentence without its dateline, clipped at a clause or word boundary."""
    paragraph = without_dateline(paragraph)
    sentence = lead_sentence(paragraph) or paragraph
    if len(sentence) <= TITLE_MAX:
        return sentence
    clauses = [m.start() for m in _CLAUSE_END.finditer(sentence, 0, TITLE_MAX)]
    if clauses and clauses[-1] >= TITLE_MAX // 2:
        return sentence[: clauses[-1]]
    return clip(sentence, TITLE_MAX)


def html_tags(text: str) -> list[re.Match]:
    """The HTML tags in text: of an HTML element, and in lower case or closed
    ("<b>", "</P>", "<B>…</B>"), so that Reuters' "<AXP>", "<I>" or "<Siemens A.G.>"
    are not taken for tags."""
    if "<" not in text:
        return []
    tags = list(_TAG_LIKE.finditer(text))
    closed = {tag.group(2).lower() for tag in tags if tag.group(1)}
    return [
        tag
        for tag in tags
        if (name := tag.group(2)).lower() in HTML_ELEMENTS
        and (name.islower() or tag.group(1) or name.lower() in closed)
    ]


def without_dateline(paragraph: str) -> str:
    """The paragraph from its first word after the dateline, which is found even
    wrapped in HTML tags ("<b>ASTANA</b>. KAZINFORM – ")."""
    if "<" not in paragraph:
        dateline = _DATELINE.match(paragraph)
        return paragraph[dateline.end() :] if dateline else paragraph
    kept: list[int] = []  # the paragraph's positions outside tags
    start = 0
    for tag in html_tags(paragraph):
        kept += range(start, tag.start())
        start = tag.end()
    kept += range(start, len(paragraph))
    dateline = _DATELINE.match("".join(paragraph[i] for i in kept))
    return paragraph[kept[dateline.end()] :] if dateline else paragraph


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
