"""The editorial file content/entities.yml: descriptions shown, and a broken file
stopping the build (tagging/editorial.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
from lxml import etree

from conftest import FIXTURES, ROOT, build_site

OSCE = "organisation/osce-parliamentary-assembly/"


def content_with(tmp_path: Path, editorial: str) -> Path:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "content", content)
    (content / "entities.yml").write_text(editorial, "utf-8")
    return content


def test_a_description_is_on_the_entity_page_and_its_feeds(tmp_path):
    content = content_with(
        tmp_path,
        "organisations:\n  OSCE Parliamentary Assembly:\n"
        "    description: The OSCE's <parliamentary> body & more.\n",
    )
    output = build_site(tmp_path, FIXTURES / "seeds", PATH=str(content))
    page = (output / OSCE / "index.html").read_text()
    assert (
        '<p class="description">The OSCE&#39;s &lt;parliamentary&gt; body &amp; more.</p>' in page
    )
    described = "The OSCE's <parliamentary> body & more."
    rss = etree.parse(output / OSCE / "rss.xml")
    assert rss.findtext("channel/description") == described
    atom = etree.parse(output / OSCE / "atom.xml")
    assert atom.findtext("{http://www.w3.org/2005/Atom}subtitle") == described
    assert json.loads((output / OSCE / "feed.json").read_text())["description"] == described
    other = feedparser.parse((output / "organisation/nato/rss.xml").read_bytes()).feed
    assert other.subtitle == "Bulletin: news about NATO (organisation)"
