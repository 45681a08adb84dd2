"""Permanent URLs and feed ids (urlmemory.py): a published post or entity page stays
where it is, or redirects; its feed id never changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest

from bulletin.posts.urlmemory import Memory
from bulletin.seeds import seeds as seeds_module
from bulletin.tagging import Entity
from bulletin.tagging.editorial import Editorial
from conftest import FIXTURES, ROOT, SITEURL, build_site

TOKAYEV = "2024-05-21-tokayev-kurtulmus.txt"
TOKAYEV_URL = "2024/05/21/kazakh-president-kassym-jomart-tokayev-received-the-speaker-of-the-grand/"


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in FIXTURES.glob("seeds/2024-*.txt"):
        shutil.copy(path, folder)
    return folder


def post_urls(output: Path) -> set[str]:
    return {
        p.parent.relative_to(output).as_posix() + "/"
        for p in output.glob("20[0-9][0-9]/*/*/*/index.html")
    }


def feed_ids(output: Path, feed: str = "rss.xml") -> dict[str, str]:
    """Link → id of each item of the site's feed."""
    return {e.link: e.id for e in feedparser.parse((output / feed).read_bytes()).entries}


def json_ids(output: Path) -> dict[str, str]:
    import json

    return {i["url"]: i["id"] for i in json.loads((output / "feed.json").read_text())["items"]}


def edit_lead(path: Path) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace("received", "welcomed", 1), "utf-8")
    assert path.read_text("utf-8") != text


def test_first_build_records_every_post_at_todays_url(tmp_path, seeds):
    output = build_site(tmp_path, seeds)
    memory = Memory.load(tmp_path / "urls.tsv")
    assert {r.url for r in memory.posts.values()} == post_urls(output)
    assert memory.posts[TOKAYEV].url == TOKAYEV_URL
    assert feed_ids(output)[f"{SITEURL}/{TOKAYEV_URL}"] == f"{SITEURL}/{TOKAYEV_URL}"


def test_a_lead_edit_keeps_the_url_and_the_feed_id(tmp_path, seeds):
    before = build_site(tmp_path, seeds)
    ids = feed_ids(before)
    edit_lead(seeds / TOKAYEV)
    after = build_site(tmp_path, seeds)
    assert post_urls(after) == post_urls(before)
    assert feed_ids(after) == ids
    assert (
        "Kazakh President Kassym-Jomart Tokayev welcomed"
        in (after / TOKAYEV_URL / "index.html").read_text()
    )
    # Without the memory, the edited title would have moved it.
    assert TOKAYEV_URL not in post_urls(build_site(tmp_path / "scratch", seeds))


def test_a_title_rule_change_moves_no_url(tmp_path, seeds, monkeypatch):
    before = build_site(tmp_path, seeds)
    ids, atom_ids = feed_ids(before), feed_ids(before, "atom.xml")
    monkeypatch.setattr(seeds_module, "make_title", lambda paragraph: "News: " + paragraph[:40])
    # A new cache folder: the seeds are read again, with the new rule.
    after = build_site(tmp_path, seeds, CACHE_PATH=str(tmp_path / "cache-2"))
    assert "<h1>News: " in (after / TOKAYEV_URL / "index.html").read_text()
    assert post_urls(after) == post_urls(before)
    assert (feed_ids(after), feed_ids(after, "atom.xml")) == (ids, atom_ids)
    scratch = build_site(tmp_path / "scratch", seeds)
    assert post_urls(scratch).isdisjoint(post_urls(before))  # the rule would move them all


def test_a_renamed_seed_keeps_its_url_and_id(tmp_path, seeds):
    before = build_site(tmp_path, seeds)
    ids = json_ids(before)
    (seeds / "moved").mkdir()
    (seeds / TOKAYEV).rename(seeds / "moved" / "tokayev.txt")
    after = build_site(tmp_path, seeds)
    assert post_urls(after) == post_urls(before)
    assert json_ids(after) == ids
    memory = Memory.load(tmp_path / "urls.tsv")
    assert memory.posts["moved/tokayev.txt"].url == TOKAYEV_URL
    assert TOKAYEV not in memory.posts


def test_a_rename_and_an_edit_at_once_make_a_new_post(tmp_path, seeds):
    build_site(tmp_path, seeds)
    text = (seeds / TOKAYEV).read_text("utf-8").replace("received", "welcomed", 1)
    (seeds / TOKAYEV).unlink()
    (seeds / "tokayev.txt").write_text(text, "utf-8")
    after = build_site(tmp_path, seeds)
    assert TOKAYEV_URL not in post_urls(after)
    memory = Memory.load(tmp_path / "urls.tsv")
    assert memory.posts[TOKAYEV].url == TOKAYEV_URL  # still reserved
    assert memory.posts["tokayev.txt"].url.startswith("2024/05/21/kazakh-president-kassym")


def test_a_removed_seed_that_returns_gets_its_url_back(tmp_path, seeds):
    build_site(tmp_path, seeds)
    text = (seeds / TOKAYEV).read_text("utf-8")
    (seeds / TOKAYEV).unlink()
    build_site(tmp_path, seeds)
    (seeds / TOKAYEV).write_text(text, "utf-8")
    assert TOKAYEV_URL in post_urls(build_site(tmp_path, seeds))


def test_a_new_post_never_takes_a_url_published_before(tmp_path, seeds):
    build_site(tmp_path, seeds)
    (seeds / TOKAYEV).unlink()
    build_site(tmp_path, seeds)
    # Another text whose title gives the same slug on the same day.
    (seeds / "new.txt").write_text(
        " date 2024-05-21 Kazakh President Kassym-Jomart Tokayev received the Speaker of the "
        "Grand Council of Elders in Astana on Tuesday.",
        "utf-8",
    )
    urls = post_urls(build_site(tmp_path, seeds))
    new = next(u for u in urls if u.startswith("2024/05/21/"))
    assert new != TOKAYEV_URL
    assert re.fullmatch(re.escape(TOKAYEV_URL[:-1]) + r"-[0-9a-f]{8}/", new)


def test_a_slug_header_moves_the_post_and_leaves_a_redirect(tmp_path, seeds):
    build_site(tmp_path, seeds)
    old = f"{SITEURL}/{TOKAYEV_URL}"
    text = (seeds / TOKAYEV).read_text("utf-8")
    _, date, first = text.lstrip("\ufeff ").split(" ", 2)
    (seeds / TOKAYEV).write_text(f"date {date}\nSlug: Tokayev meets Kurtulmus\n{first}", "utf-8")
    after = build_site(tmp_path, seeds)
    new_url = "2024/05/21/tokayev-meets-kurtulmus/"
    new = f"{SITEURL}/{new_url}"
    assert new_url in post_urls(after)
    page = (after / TOKAYEV_URL / "index.html").read_text()
    assert f'<link rel="canonical" href="{new}">' in page
    assert f'<meta http-equiv="refresh" content="0; url={new}">' in page
    assert f"/{TOKAYEV_URL} /{new_url} 301\n" in (after / "_redirects").read_text()
    # The feed id is the first URL, no longer a permalink; the link is the new URL.
    assert feed_ids(after)[new] == old == json_ids(after)[new]
    assert feed_ids(after, "atom.xml")[new] == old
    rss = (after / "rss.xml").read_text()
    assert f'<guid isPermaLink="false">{old}</guid>' in rss
    # Later builds keep it there, header or not; a second move keeps the first id.
    (seeds / TOKAYEV).write_text(text, "utf-8")
    assert new_url in post_urls(build_site(tmp_path, seeds))
    (seeds / TOKAYEV).write_text(f"date {date}\nslug: tokayev-in-astana\n\n{first}", "utf-8")
    again = build_site(tmp_path, seeds)
    third = f"{SITEURL}/2024/05/21/tokayev-in-astana/"
    assert feed_ids(again)[third] == old
    redirects = (again / "_redirects").read_text().splitlines()
    assert redirects == [
        f"/{TOKAYEV_URL} /2024/05/21/tokayev-in-astana/ 301",
        f"/{new_url} /2024/05/21/tokayev-in-astana/ 301",
    ]


def test_same_seeds_and_memory_give_identical_output(tmp_path, seeds):
    first = build_site(tmp_path / "a", seeds)
    edit_lead(seeds / TOKAYEV)
    (tmp_path / "b").mkdir()
    shutil.copy(tmp_path / "a" / "urls.tsv", tmp_path / "b" / "urls.tsv")
    one, two = build_site(tmp_path / "a", seeds), build_site(tmp_path / "b", seeds)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert first == one


def content_with(tmp_path: Path, editorial: str) -> Path:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(ROOT / "content", content)
    (content / "entities.yml").write_text(editorial, "utf-8")
    return content


def test_a_renamed_entity_redirects_with_its_feeds(tmp_path, seeds):
    content = content_with(tmp_path, "")
    before = build_site(tmp_path, seeds, PATH=str(content))
    old = "organisation/osce-parliamentary-assembly/"
    assert (before / old / "index.html").is_file()
    content = content_with(
        tmp_path, "organisations:\n  OSCE Parliamentary Assembly:\n    rename: OSCE PA\n"
    )
    after = build_site(tmp_path, seeds, PATH=str(content))
    new = "organisation/osce-pa/"
    assert (after / new / "index.html").is_file()
    page = (after / old / "index.html").read_text()
    assert f'<link rel="canonical" href="{SITEURL}/{new}">' in page
    redirects = (after / "_redirects").read_text().splitlines()
    for feed in ("", "rss.xml", "atom.xml", "feed.json"):
        assert f"/{old}{feed} /{new}{feed} 301" in redirects
    assert not (after / old / "rss.xml").exists()
    # Renamed again: the first URL follows to the newest.
    content = content_with(
        tmp_path, "organisations:\n  OSCE Parliamentary Assembly:\n    rename: OSCE-PA Assembly\n"
    )
    again = build_site(tmp_path, seeds, PATH=str(content))
    newest = "organisation/osce-pa-assembly/"
    redirects = (again / "_redirects").read_text().splitlines()
    assert f"/{old} /{newest} 301" in redirects
    assert f"/{new} /{newest} 301" in redirects


def test_lines_repeated_by_a_merge_are_folded(tmp_path):
    memory_file = tmp_path / "urls.tsv"
    memory_file.write_text(
        "post\ta.txt\t1111\t2024/01/01/a/\n"
        "post\tb.txt\t2222\t2024/01/02/b/\n"
        "post\ta.txt\t3333\t2024/01/01/a-new/\t2024/01/01/a/\n"
        "entity\tcountry/x/\t-\tabc\n"
        "entity\tcountry/x/\t-\tabc\n",
        "utf-8",
    )
    memory = Memory.load(memory_file)
    assert memory.posts["a.txt"].url == "2024/01/01/a-new/"
    assert memory.posts["a.txt"].id == "2024/01/01/a/"
    assert len(memory.posts) == 2 and len(memory.entities) == 1
    assert memory.dump().count("\n") == memory.dump().count("#") + 3


def test_an_entity_the_tagger_names_otherwise_redirects_to_its_new_page(
    tmp_path, seeds, monkeypatch
):
    build_site(tmp_path, seeds)
    resolve = Editorial.resolve

    def renamed(self, entity):  # a tagger change: the same body under another name
        entity = resolve(self, entity)
        if entity is not None and entity.name == "OSCE Parliamentary Assembly":
            return Entity(entity.kind, "OSCE PA", "osce-pa", entity.code)
        return entity

    monkeypatch.setattr(Editorial, "resolve", renamed)
    after = build_site(tmp_path, seeds, CACHE_PATH=str(tmp_path / "cache-2"))
    old, new = "organisation/osce-parliamentary-assembly/", "organisation/osce-pa/"
    assert (after / new / "index.html").is_file()
    assert f'href="{SITEURL}/{new}"' in (after / old / "index.html").read_text()
    assert f"/{old}rss.xml /{new}rss.xml 301" in (after / "_redirects").read_text()
    # Only the renamed entity moved: the others on its posts are where they were.
    assert len((after / "_redirects").read_text().splitlines()) == 4


def test_a_blocked_or_demoted_entity_is_not_redirected(tmp_path, seeds):
    build_site(tmp_path, seeds, PATH=str(content_with(tmp_path, "")))
    content = content_with(tmp_path, "block:\n  organisations: [NATO]\n")
    after = build_site(tmp_path, seeds, PATH=str(content))
    assert not (after / "organisation/nato").exists()
    assert not (after / "_redirects").exists()
    line = next(
        line for line in (tmp_path / "urls.tsv").read_text().splitlines() if "/nato/" in line
    )
    assert line.split("\t")[2] == "-"


def test_a_build_of_other_seeds_never_writes_a_sites_memory(tmp_path, seeds, logged):
    build_site(tmp_path, seeds)
    memory = tmp_path / "urls.tsv"
    assert "seeds\tseeds\n" in memory.read_text()  # relative to the memory's folder
    before = memory.read_bytes()
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text(" date 2024-08-01 Kazakhstan held talks in Astana.", "utf-8")
    output = build_site(tmp_path, other, URL_MEMORY=str(memory))
    assert post_urls(output) == {"2024/08/01/kazakhstan-held-talks-in-astana/"}
    assert memory.read_bytes() == before
    assert any("remembers the seeds folder seeds, not this build's other" in m for m in logged())
