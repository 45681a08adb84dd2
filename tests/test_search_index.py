"""The full-text search index (plugins/bulletin/pages/fulltext.py): written by a build with
SEARCH_FULL_TEXT into the staged build, the same bytes every time, kept by a build
that does not index while it is current, and removed (with a warning) once stale.
The browser tests (test_theme_browser.py) search it."""

from __future__ import annotations

import shutil

import lxml.html

from conftest import FIXTURES, SITEURL, build_site


def tree(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def search_page(output):
    page = lxml.html.parse(str(output / "search" / "index.html")).getroot()
    return page.find(".//form[@class='search']")


def test_index_is_written_with_words_and_filters(tmp_path):
    output = build_site(tmp_path, SEARCH_FULL_TEXT=True)
    index = tree(output / "pagefind")
    assert "pagefind.js" in index and "bulletin-index.json" in index
    assert "wasm.en.pagefind" in index and "pagefind-worker.js" in index
    assert not [name for name in index if "-ui." in name or "unknown" in name]  # unused
    assert any(name.startswith("fragment/") for name in index)
    assert any(name.startswith("filter/") for name in index)
    form = search_page(output)
    assert form.get("data-pagefind") == f"{SITEURL}/pagefind/pagefind.js"
    countries = form.findall(".//select[@name='country']/option")
    # (Belgium, only the venue of the NATO fixture's meeting, is a passing mention)
    assert [o.get("value") for o in countries][:2] == ["", "germany"]


def test_pagefind_words_and_fragments_are_deterministic(tmp_path):
    """Two builds of the same posts give the same word index and fragments (its filter
    index lists values in hash-map order: see fulltext.py)."""
    runs = [tree(build_site(tmp_path / n, SEARCH_FULL_TEXT=True) / "pagefind") for n in "ab"]
    for kind in ("fragment/", "index/"):
        first = {k: v for k, v in runs[0].items() if k.startswith(kind)}
        assert first and first == {k: v for k, v in runs[1].items() if k.startswith(kind)}
    assert runs[0]["bulletin-index.json"] == runs[1]["bulletin-index.json"]


def test_a_build_without_indexing_keeps_a_current_index_and_drops_a_stale_one(tmp_path, logged):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    output = build_site(tmp_path, seeds, SEARCH_FULL_TEXT=True)
    index = tree(output / "pagefind")
    stamp = (output / "pagefind" / "pagefind.js").stat().st_mtime_ns

    for indexing in (True, False):  # same posts: the index is current and stays as it is
        build_site(tmp_path, seeds, SEARCH_FULL_TEXT=indexing)
        assert tree(output / "pagefind") == index
        assert (output / "pagefind" / "pagefind.js").stat().st_mtime_ns == stamp
        assert search_page(output).get("data-pagefind")
    assert not [m for m in logged() if "full-text" in m]

    (seeds / "2024-06-20-new.txt").write_text("date 2024-06-20 A new report on water.\n")
    build_site(tmp_path, seeds)  # another post: the index is stale and goes
    assert not (output / "pagefind").exists()
    assert search_page(output).get("data-pagefind") is None
    assert search_page(output).find(".//select") is None
    assert [m for m in logged() if "full-text search index" in m]

    build_site(tmp_path, seeds, SEARCH_FULL_TEXT=True)  # indexing again
    assert (output / "pagefind" / "pagefind.js").exists()
    assert search_page(output).get("data-pagefind")
