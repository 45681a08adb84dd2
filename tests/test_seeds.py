from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bulletin.seeds import SeedError, parse_seed

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


def test_cp1252_is_decoded_with_a_warning():
    seed = parse(" date 2024-05-20 Caf\xe9 talks in Ankara.".encode("cp1252"))
    assert seed.paragraphs == ("Café talks in Ankara.",)
    assert any("cp1252" in w for w in seed.warnings)


def test_control_characters_are_removed():
    seed = parse(" date 2024-05-20 Talks\x07 in\x1b Astana.")
    assert seed.paragraphs == ("Talks in Astana.",)
    assert seed.warnings


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "empty"),
        (b"  \n\t\n ", "empty"),
        (b"Kazakh senators met.", "no date"),
        (b"date 2024-13-45 Text.", "invalid date"),
        (b"date 2024-02-30 Text.", "invalid date"),
        (b"date yesterday Text.", "invalid date"),
        (b"date 2024-05-20", "no text"),
        (b"date 2024-05-20   \n\n  ", "no text"),
        (b"date 2024-05-20 \x00\x01binary", "binary"),
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


def test_slug_is_ascii_and_stable():
    seed = parse("date 2024-05-20 Kurtulmuş visits Türkiye’s partners in Côte d'Ivoire.")
    assert seed.slug == "kurtulmus-visits-turkiyes-partners-in-cote-divoire"
    assert (
        seed.slug
        == parse("date 2024-05-20 Kurtulmuş visits Türkiye’s partners in Côte d'Ivoire.").slug
    )
