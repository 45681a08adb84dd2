"""Related posts kept between builds (related.py): a rebuild ranks again only the
posts whose windows may have changed, and its pages are the bytes of a build from
scratch after any kind of change. The window is narrowed to one neighbour a side,
so that on these few posts a change leaves most windows as they were."""

from __future__ import annotations

import logging
import re

import pytest
from test_incremental import files, seeds_folder

from bulletin.posts import extras, related
from conftest import build_site


@pytest.fixture
def site(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(related, "RELATED_WINDOW", 1)
    caplog.set_level(logging.INFO, logger=extras.__name__)
    seeds = seeds_folder(tmp_path)
    scratches = iter(range(1000))

    def build(**override) -> tuple[int, int]:
        """Rebuild, compare with a build from scratch (same URL memory); return
        (posts ranked, posts) of the rebuild."""
        caplog.clear()
        output = build_site(tmp_path / "site", seeds, **override)
        ranked, total = map(int, re.findall(r"(\d+) of (\d+) posts ranked", caplog.text)[-1])
        scratch = tmp_path / f"scratch-{next(scratches)}"
        scratch.mkdir()
        (scratch / "urls.tsv").write_bytes((tmp_path / "site/urls.tsv").read_bytes())
        assert files(output) == files(build_site(scratch, seeds))
        return ranked, total

    return build, seeds


def test_a_rebuild_ranks_only_the_posts_near_a_change(site):
    build, seeds = site
    ranked, total = build()
    assert ranked == total > 10
    assert build(FULL_BUILD=True) == (0, total)  # else nothing is built at all (uptodate.py)
    (seeds / "2024-07-04-new.txt").write_text(
        " date 2024-07-04 Foreign ministers of Kazakhstan and Japan met in Astana.", "utf-8"
    )
    ranked, total = build()
    assert 0 < ranked < total


def test_edits_of_dates_tags_and_removals_match_a_build_from_scratch(site):
    build, seeds = site
    build()
    moved = seeds / "2024-07-03.txt"  # its date changes: it moves on every page
    moved.write_text(moved.read_text("utf-8").replace("2024-07-03", "2024-07-07", 1), "utf-8")
    assert build()[0] > 0
    retagged = seeds / "2024-07-05.txt"  # tagged with one more person: joins a page
    more = "The foreign minister of Brazil, Mauro Vieira, signed a trade agreement."
    retagged.write_text(retagged.read_text("utf-8") + f"\n\n{more}", "utf-8")
    assert build()[0] > 0
    (seeds / "2024-07-02.txt").unlink()
    assert build()[0] > 0


def test_a_post_moved_within_its_place_reranks_its_neighbours(site):
    """The middle post's neighbours tie (one shared entity, a day away each): the
    newer comes first, until the older moves to the evening before."""
    build, seeds = site
    for path in seeds.iterdir():
        path.unlink()
    for day in (3, 4, 5):
        text = f" date 2024-07-0{day} The president of Kazakhstan spoke on day {day}."
        (seeds / f"day-{day}.txt").write_text(text, "utf-8")
    build()
    older = seeds / "day-3.txt"
    older.write_text(older.read_text("utf-8").replace("2024-07-03", "2024-07-03T23:00:00+00:00"))
    assert build()[0] == 2  # it and its neighbour, whose related posts change order
