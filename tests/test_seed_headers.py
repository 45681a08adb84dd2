"""Optional `title:` and `slug:` headers after a date line holding only the date, and
markup in a seed (seeds.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.seeds.seeds import parse_seed
from conftest import build_site


def seed(text: str):
    return parse_seed(text.encode(), Path("a.txt"))


def test_headers_set_the_title_and_the_slug_and_are_never_text():
    read = seed(
        "date 2024-05-20\nTitle:  Tokayev meets  Kurtulmus\nSLUG: Astana Talks\n"
        "ASTANA. KAZINFORM – The President received the Speaker.\n\nSecond paragraph."
    )
    assert read.title == "Tokayev meets Kurtulmus"
    assert (read.slug, read.slug_header) == ("astana-talks", "astana-talks")
    assert read.paragraphs == (
        "ASTANA. KAZINFORM – The President received the Speaker.",
        "Second paragraph.",
    )
    assert not read.warnings


def test_a_title_header_alone_gives_the_slug_too():
    read = seed("date 2024-05-20\ntitle: Talks in Astana\n\nThe President spoke.")
    assert (read.title, read.slug, read.slug_header) == ("Talks in Astana", "talks-in-astana", "")
    assert read.paragraphs == ("The President spoke.",)


@pytest.mark.parametrize(
    "text",
    [
        "date 2024-05-20 Title: on the date line is text.",  # the date line holds more
        "date 2024-05-20\n\nTitle: after a blank line is text.",
        "date 2024-05-20\nThe lead.\ntitle: after the text is text.",
    ],
)
def test_header_lines_elsewhere_are_text(text):
    read = seed(text)
    assert "itle: " in read.text
    assert read.slug_header == ""


def test_plain_seeds_read_as_before():
    assert seed("date 2024-05-20\nThe lead sentence. More.").title == "The lead sentence"
    assert seed(" date 2024-05-20 The lead sentence.").paragraphs == ("The lead sentence.",)


def test_empty_or_repeated_headers_are_named_in_warnings():
    read = seed("date 2024-05-20\nslug: ***\ntitle: One\ntitle: Two\nThe text.")
    assert read.title == "Two" and read.slug_header == ""
    assert read.paragraphs == ("The text.",)
    assert any("slug: header with no usable value" in w for w in read.warnings)
    assert any("title: header given twice" in w for w in read.warnings)


def test_markup_is_named_and_a_dateline_in_tags_is_still_found():
    read = seed(" date 2024-05-20 <b>ASTANA</b>. KAZINFORM – The President met the team.")
    assert read.title == "The President met the team"
    assert read.paragraphs[0].startswith("<b>ASTANA</b>")  # shown as typed, escaped
    assert any("HTML markup (<b>)" in w for w in read.warnings)
    assert not seed(" date 2024-05-20 Prices rose by 5 < 6 points.").warnings
    closed = seed(" date 2024-05-20 <B>LONDON, March 3</B> - Prices rose.")
    assert closed.title == "Prices rose" and closed.warnings
    assert seed(" date 2024-05-20 Prices &amp; bonds rose.").warnings


def test_reuters_names_in_angle_brackets_are_not_markup():
    read = seed(" date 1987-03-02 <Hughes Capital Corp> said <AXP> and <I> rose.")
    assert not read.warnings
    assert read.title == "<Hughes Capital Corp> said <AXP> and <I> rose"


def test_a_build_names_the_seed_with_markup_and_shows_header_titles(tmp_path, logged):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "markup.txt").write_text(
        " date 2024-05-20 <p>ASTANA. KAZINFORM – Talks <i>began</i> today.</p>", "utf-8"
    )
    (seeds / "header.txt").write_text(
        "date 2024-05-21\ntitle: A chosen headline\nslug: chosen\nThe lead of the story.", "utf-8"
    )
    output = build_site(tmp_path, seeds)
    assert any(m.startswith("Seed markup.txt: holds HTML markup (<p>)") for m in logged())
    page = (output / "2024/05/21/chosen/index.html").read_text()
    assert "<h1>A chosen headline</h1>" in page
    assert "title: A chosen" not in page and "slug: chosen" not in page
    markup = next((output / "2024/05/20").glob("*/index.html")).read_text()
    assert "&lt;i&gt;began&lt;/i&gt;" in markup and "<i>began" not in markup
    assert "ASTANA" not in markup.split("<h1>")[1].split("</h1>")[0]
