"""The editorial file content/entities.yml: descriptions shown, and a broken file
stopping the build (tagging/editorial.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from bulletin.tagging import EditorialError, Tagger
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


BROKEN = [
    ("organisations:\n  NATO:\n    rename: [a\n", 4, "not valid YAML"),
    ("people:\n  Someone:\n    colour: red\n", 3, "people: Someone: unknown key 'colour'"),
    ("teams:\n  Leeds: {}\n", 1, "unknown section 'teams'"),
    ("organisations: [a, b]\n", 1, "organisations: expected a mapping"),
    ("organisations:\n  NATO: {}\n  NATO: {}\n", 3, "organisations: 'NATO' given twice"),
    ("block:\n  teams: [Leeds]\n", 2, "block: unknown kind 'teams'"),
    ("people:\n  A B:\n    aliases: {x: y}\n", 3, "people: A B: aliases: expected a list"),
    ("people:\n  A B:\n    rename: [x]\n", 3, "people: A B: rename: expected text"),
]


@pytest.mark.parametrize(("text", "line", "problem"), BROKEN)
def test_a_broken_file_is_named_with_its_line_and_problem(tmp_path, text, line, problem):
    entities = tmp_path / "entities.yml"
    entities.write_text(text, "utf-8")
    with pytest.raises(EditorialError) as error:
        Tagger(entities)
    assert str(error.value).startswith(f"{entities}, line {line}: ")
    assert problem in str(error.value)


def test_a_broken_file_stops_the_build_and_keeps_the_output(tmp_path):
    content = content_with(tmp_path, "organisations:\n  NATO:\n    rename: Alliance\n")
    output = build_site(tmp_path, FIXTURES / "seeds", PATH=str(content))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    assert (output / "organisation/alliance/index.html").is_file()
    content_with(tmp_path, "organisations:\n  NATO:\n    renam: Alliance\n")
    with pytest.raises(EditorialError, match=r"entities.yml, line 3: .*unknown key 'renam'"):
        build_site(tmp_path, FIXTURES / "seeds", PATH=str(content))
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_pelican_and_bulletin_tag_fail_on_a_broken_file(tmp_path):
    content = content_with(tmp_path, "people:\n  Someone:\n    alias: [S]\n")
    settings = [f'SEEDS_PATH="{FIXTURES / "seeds"}"', f'CACHE_PATH="{tmp_path / "cache"}"']
    settings += [f'PATH="{content}"', f'URL_MEMORY="{tmp_path / "urls.tsv"}"']
    run = subprocess.run(
        [Path(sys.executable).with_name("pelican"), "-s", "pelican.conf.py"]
        + ["-o", str(tmp_path / "output"), "-e", *settings],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "line 3" in run.stdout + run.stderr and "unknown key 'alias'" in run.stdout + run.stderr
    assert not (tmp_path / "output").exists()
    bulletin = Path(sys.executable).with_name("bulletin")
    seed = FIXTURES / "seeds" / "2024-06-03-nato-ministers.txt"
    tag = [bulletin, "tag", str(seed), "--entities", str(content / "entities.yml")]
    run = subprocess.run(tag, capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert f"{content / 'entities.yml'}, line 3: people: Someone: unknown key 'alias'" in run.stderr
