import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from bulletin.seeds.seeds import (
    HUGE_BYTES,
    SUMMARY_MAX,
    TITLE_MAX,
    SeedError,
    parse_seed,
    read_seed,
)

PATH = Path("seed.txt")
BODY = "Kazakh senators met their Turkish colleagues in Astana.\n\nThey talked."


def parse(text: str | bytes):
    return parse_seed(text if isinstance(text, bytes) else text.encode(), PATH)


@pytest.mark.parametrize(
    "raw",
    [
        f" date 2024-05-20 {BODY}",
        f"date 2024-05-20 {BODY}",
        f"\n\n   date 2024-05-20 {BODY}\n",
        f"date: 2024-05-20 {BODY}",
        f"DATE 2024-05-20 {BODY}",
        f" date 2024-05-20 {BODY}".replace("\n", "\r\n"),
        "\ufeff" + f" date 2024-05-20 {BODY}",
        f" date 2024-05-20   \n{BODY}  \n\n\n",
    ],
    ids=["real", "no-space", "leading-blank", "colon", "upper", "crlf", "bom", "date-alone"],
)
def test_tolerated_variations_read_the_same(raw):
    seed = parse(raw)
    assert seed.date == datetime(2024, 5, 20, tzinfo=UTC)
    assert seed.paragraphs == (
        "Kazakh senators met their Turkish colleagues in Astana.",
        "They talked.",
    )
    assert seed.title == "Kazakh senators met their Turkish colleagues in Astana"


def test_datetime_with_zone_keeps_the_zone():
    seed = parse(f"date 2024-05-20T09:30:00+05:00 {BODY}")
    assert seed.date.utcoffset() == timedelta(hours=5)
    assert seed.date.hour == 9


def test_lines_of_a_paragraph_are_joined():
    seed = parse("date 2024-05-20 One line\nand the next.\n\nSecond.")
    assert seed.paragraphs == ("One line and the next.", "Second.")


@pytest.mark.parametrize(
    ("raw", "how"),
    [
        (" date 2024-05-20 Café “talks” in Ankara.".encode("cp1252"), "decoded as cp1252"),
        (b" date 2024-05-20 Caf\xe9 \x81talks in Ankara.", "decoded as Latin-1"),
        (" date 2024-05-20 Café talks in Ankara.".encode("utf-16"), "decoded as UTF-16"),
        (" date 2024-05-20 Café talks in Ankara.".encode("utf-32"), "decoded as UTF-32"),
    ],
    ids=["cp1252", "latin-1", "utf-16", "utf-32"],
)
def test_other_encodings_are_decoded_with_a_warning(raw, how):
    seed = parse(raw)
    assert seed.title in ("Café “talks” in Ankara", "Café talks in Ankara")
    assert [w for w in seed.warnings if how in w], seed.warnings


def test_mostly_utf8_keeps_its_letters_and_replaces_the_bad_bytes():
    raw = " date 2024-05-20 Kurtulmuş met ".encode() + b"\xff\xfe" + " in Türkiye.".encode()
    seed = parse(raw)
    assert seed.paragraphs == ("Kurtulmuş met \ufffd\ufffd in Türkiye.",)
    assert seed.warnings == (
        "not valid UTF-8 (invalid start byte at byte 32): read as UTF-8, "
        "2 bad sequences replaced by '\ufffd'",
    )


def test_lossless_fixes_are_notes_not_warnings():
    seed = parse("\ufeff date 2024-05-20 Talks.\r\n\r\nMore talks.   \r\n")
    assert seed.warnings == ()
    assert seed.notes == ("byte-order mark removed", "CR or CRLF line ends read as LF")


def test_control_and_non_characters_are_removed():
    seed = parse(" date 2024-05-20 Talks\x07 in\x1b Astana\x0c\u0085\ufffe\uffff\ufdd0.")
    assert seed.paragraphs == ("Talks in Astana.",)
    assert seed.warnings == ("7 control or non-characters removed",)


def test_huge_seed_is_read_with_a_warning():
    seed = parse(b"date 2024-05-20 " + b"Talks went on. " * (HUGE_BYTES // 15 + 1))
    assert seed.title == "Talks went on"
    assert [w for w in seed.warnings if w.startswith("very large (1.0 MB)")]


def test_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "sparse.txt"
    with open(path, "wb") as file:
        file.truncate(2**20 + 1)  # sparse: no disk space used
    with pytest.raises(SeedError, match="too large: over 1 MB"):
        read_seed(path, max_bytes=2**20)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"Kazakh senators met.", "no date"),
        (b"date 2024-13-45 Text.", "invalid date '2024-13-45' \\(month must be in 1..12\\)"),
        (b"date 2024-02-30 Text.", "invalid date '2024-02-30' \\(day is out of range"),
        (b"date yesterday Text.", "invalid date 'yesterday': expected YYYY-MM-DD"),
        (b"date 0001-01-01 Text.", "impossible date '0001-01-01'"),
        (b"date 9999-12-31T23:59:59-12:00 Text.", "impossible date"),
        (b"date 2024-05-20T09:00+25:00 Text.", "invalid date"),
        (b"date", "no date"),
        (b"date: \n\n", "no date"),
        (b"date 2024-05-20", "no text"),
        (b"date 2024-05-20   \n\n  ", "no text"),
        (b"date 2024-05-20 \x00\x01binary", "binary"),
        (" date 2024-05-20 Talks.".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
        (b"\xff\xfe d\x00\xd8", "undecodable: has a UTF-16 byte-order mark"),
    ],
)
def test_rejected_seeds_say_why(raw, problem):
    with pytest.raises(SeedError, match=problem):
        parse(raw)


def test_long_lead_is_clipped_at_a_word_boundary():
    words = "The delegation of the parliament discussed cooperation " * 6
    seed = parse(f"date 2024-05-20 {words.strip()}.")
    assert len(seed.title) <= 91
    assert seed.title.endswith("…")
    assert words.startswith(seed.title[:-1])
    assert words[len(seed.title) - 1] == " ", "clipped mid-word"
    assert seed.title.split()[-1].rstrip("…") not in {"of", "the"}


def test_title_stops_at_the_first_sentence_not_at_initials():
    seed = parse("date 2024-05-20 U.S. envoy arrives in Astana. Talks begin on Monday.")
    assert seed.title == "U.S. envoy arrives in Astana"


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        ("ASTANA. KAZINFORM – The Senate met. It", "The Senate met"),
        ("ASTANA, May 20 (Kazinform) – The Senate met. It", "The Senate met"),
        ("İSTANBUL (AA) — Türkiye won. It", "Türkiye won"),
        ("LONDON, March 3 - Oil rose. It", "Oil rose"),
        ("NEW YORK, March 3 (Reuters) - Oil rose. It", "Oil rose"),
        ("NUR-SULTAN. KAZINFORM – The Senate met. It", "The Senate met"),
        ("US - China talks collapse. It", "US - China talks collapse"),
        ("UK, France - and Germany agree. It", "UK, France - and Germany agree"),
        ("NATO, G7 - leaders agree on aid. It", "NATO, G7 - leaders agree on aid"),
        ("USA (2) - Canada (1): hockey. It", "USA (2) - Canada (1): hockey"),
    ],
)
def test_title_leaves_out_the_dateline(lead, title):
    seed = parse(f"date 2024-05-20 {lead}")
    assert seed.title == title
    assert seed.paragraphs[0].startswith(lead.split()[0])


def test_slug_is_ascii_and_stable():
    seed = parse("date 2024-05-20 Kurtulmuş visits Türkiye’s partners in Côte d'Ivoire.")
    assert seed.slug == "kurtulmus-visits-turkiyes-partners-in-cote-divoire"
    assert (
        seed.slug
        == parse("date 2024-05-20 Kurtulmuş visits Türkiye’s partners in Côte d'Ivoire.").slug
    )


def test_title_of_punctuation_is_kept_and_slug_falls_back():
    seed = parse("date 2024-05-20 ... <<< >>>\n\nText.")
    assert seed.title == "... <<< >>>"
    assert seed.slug == "post"


# Random text, control characters and markup: a seed reads into clean text or
# fails with SeedError, never anything else.
MARKUP = ["<script>pwned()</script>", "]]>", "<![CDATA[", "&amp;", "\r\n", "\n\n", "date "]
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=40), st.sampled_from(MARKUP)
    )
).map("".join)
SLUG = re.compile(r"[a-z0-9_-]+")


def _check(seed):
    for text in (seed.title, seed.summary, *seed.paragraphs):
        assert text == text.strip() and "\n" not in text
        etree.Element("x").text = text  # raises on characters XML cannot hold
    assert seed.title and len(seed.title) <= TITLE_MAX + 1
    assert len(seed.summary) <= SUMMARY_MAX + 1
    assert SLUG.fullmatch(seed.slug), seed.slug


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_any_text_reads_clean_or_fails_with_a_reason(text):
    try:
        seed = parse(f"date 2024-05-20 {text}")
    except SeedError as error:
        assert str(error)
    else:
        _check(seed)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_read_clean_or_fail_with_a_reason(raw):
    try:
        seed = parse(b"date 2024-05-20T10:00+02:00 " + raw)
    except SeedError as error:
        assert str(error)
    else:
        _check(seed)
        assert seed.date.utcoffset() == timedelta(hours=2)
