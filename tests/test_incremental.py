"""A rebuild renders only the pages and feeds whose inputs changed, and gives
the very bytes of a build from scratch, whatever changed."""

from __future__ import annotations

import io
import logging
import pickle
import re
import shutil
from collections import Counter
from pathlib import Path

import jinja2
import pytest

from bulletin import feeds
from bulletin.pages import compiled, settled
from bulletin.pages.listing import write_listing
from bulletin.posts import entities
from bulletin.publish import publish
from bulletin.seeds.seeds import read_seed
from bulletin.tags import tagcache
from conftest import FIXTURES, ROOT, build_site

SEEDS = sorted(FIXTURES.glob("seeds/2024-*.txt"))


def seeds_folder(tmp_path: Path) -> Path:
    """The fixture seeds and more posts made of their paragraphs, on other days,
    so that entities have several posts, pages and related posts."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    paragraphs = [p for path in SEEDS for p in read_seed(path).paragraphs]
    for day in range(1, 9):
        chosen = [paragraphs[day % len(paragraphs)], paragraphs[(day // 2) % len(paragraphs)]]
        text = f" date 2024-07-{day:02d} " + "\n\n".join(dict.fromkeys(chosen))
        (folder / f"2024-07-{day:02d}.txt").write_text(text, "utf-8")
    for path in SEEDS:
        shutil.copy(path, folder)
    return folder


def files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


@pytest.fixture
def site(tmp_path, caplog):
    """Builds of one site, each compared with a build from scratch of the same inputs."""
    caplog.set_level(logging.INFO, logger=publish.__name__)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    seeds = seeds_folder(tmp_path)
    settings = {"PATH": str(content), "DEFAULT_PAGINATION": 1}
    builds = iter(range(1000))

    def build(**override) -> tuple[int, int]:
        """Rebuild; assert it equals a build from scratch with the same URL memory
        (urlmemory.py); return (rendered, unchanged)."""
        caplog.clear()
        memory = tmp_path / "site" / "urls.tsv"
        known_urls = memory.read_bytes() if memory.exists() else None
        output = build_site(tmp_path / "site", seeds, **settings, **override)
        rendered, unchanged = map(
            int, re.findall(r"(\d+) rendered, (\d+) unchanged", caplog.text)[-1]
        )
        scratch_folder = tmp_path / f"scratch-{next(builds)}"
        if known_urls is not None:
            scratch_folder.mkdir()
            (scratch_folder / "urls.tsv").write_bytes(known_urls)
        scratch = build_site(scratch_folder, seeds, **settings, **override)
        assert files(output) == files(scratch)
        return rendered, unchanged

    return build, seeds, content


def test_a_rebuild_with_nothing_changed_renders_nothing(site):
    build, _, _ = site
    first, _ = build()
    # FULL_BUILD: a build with nothing changed would not even start (uptodate.py)
    assert build(FULL_BUILD=True) == (0, first)


def test_adding_editing_and_removing_seeds_render_only_what_they_change(site):
    build, seeds, _ = site
    everything, _ = build()
    added = seeds / "2024-07-20-new.txt"
    added.write_text(
        " date 2024-07-20 Foreign ministers of Kazakhstan and Japan met in Astana.\n\n"
        "They spoke about trade with the European Union.",
        "utf-8",
    )
    rendered, unchanged = build()
    assert 0 < rendered < everything / 2 and unchanged > 0
    edited = seeds / "2024-07-03.txt"
    lead, rest = edited.read_text("utf-8").split("\n\n", 1)
    edited.write_text(f"{lead} The talks lasted two hours.\n\n{rest}", "utf-8")
    assert 0 < build()[0] < everything / 2
    (seeds / "2024-07-05.txt").unlink()
    assert 0 < build()[0] < everything / 2


def test_editorial_and_settings_changes_render_everything_again(site):
    build, _, content = site
    everything, _ = build()
    entities = content / "entities.yml"
    entities.write_text(
        entities.read_text("utf-8") + "\ncountries:\n  Kazakhstan:\n    rename: Qazaqstan\n",
        "utf-8",
    )
    assert build() == (everything, 0)
    assert build(SITENAME="Another Bulletin")[1] == 0


def test_a_page_changed_in_output_is_rendered_again(site, tmp_path):
    build, _, _ = site
    build()
    page = next((tmp_path / "site/output/person").rglob("index.html"))
    page.write_text("edited by hand", "utf-8")
    assert build(FULL_BUILD=True)[0] == 1  # inputs unchanged: only a full build looks


def test_a_post_edited_off_an_entity_page_matches_a_build_from_scratch(site):
    """The listing and feeds of an entity a post no longer names lose it, though
    none of their posts is new, gone or changed (settled.Plan.posts: the pages a
    changed post was on)."""
    build, seeds, _ = site
    added = seeds / "2024-07-20-new.txt"
    added.write_text(" date 2024-07-20 Ministers of Kazakhstan and Japan met in Tokyo.", "utf-8")
    build()
    added.write_text(" date 2024-07-20 Ministers of Mongolia and Japan met in Tokyo.", "utf-8")
    build()  # the fixture compares it with a build from scratch


def test_listings_and_feeds_a_new_post_is_not_on_are_kept_without_being_made(site, monkeypatch):
    """An entity's listing or feeds all of whose renders are settled (settled.kept)
    and in output/ are kept whole: their pages and channels are not even made.
    Each build from scratch the fixture makes after a rebuild makes them all once."""
    build, seeds, _ = site
    build()
    made, channels = Counter(), Counter()
    make_channel = feeds._channel

    def listing(writer, template, context, url, *args, **kwargs):
        made[url] += 1
        return write_listing(writer, template, context, url, *args, **kwargs)

    def channel(subject, *args):
        channels[subject.url] += 1
        return make_channel(subject, *args)

    monkeypatch.setattr(entities, "write_listing", listing)
    monkeypatch.setattr(feeds, "_channel", channel)
    (seeds / "2024-07-20-new.txt").write_text(
        " date 2024-07-20 The foreign minister of Japan met Antony Blinken in Tokyo.", "utf-8"
    )
    build()
    for counted in (made, channels):
        assert counted["country/japan/"] == counted["person/antony-blinken/"] == 2
        untouched = [url for url, times in counted.items() if times == 1]
        assert len(untouched) >= 3 and "country/kazakhstan/" in untouched


def test_listings_kept_whole_by_two_output_processes_match_a_build_from_scratch(site):
    """Each output process keeps the renders of a kept listing it owns
    (parallel.owns), and the feeds of a kept subject it owns."""
    build, seeds, _ = site
    forked = {"OUTPUT_WORKERS": 2, "PARALLEL_MIN_ARTICLES": 0}
    build(**forked)
    added = seeds / "2024-07-20-new.txt"
    added.write_text(" date 2024-07-20 Ministers of Kazakhstan and Japan met in Tokyo.", "utf-8")
    build(**forked)  # the fixture compares each rebuild with a build from scratch
    added.write_text(" date 2024-07-20 Ministers of Mongolia and Japan met in Tokyo.", "utf-8")
    build(**forked)
    added.unlink()
    assert build(**forked)[1] > 0


def _numbered_pages(output: Path) -> dict[str, bytes]:
    """The numbered pages of every listing (listing.py): page/N/index.html."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("page/*/index.html")
    }


def _newest(names) -> set[str]:
    """Of numbered pages, the highest-numbered of each listing."""
    newest = {}
    for name in names:
        listing, number = re.fullmatch(r"(.*)page/(\d+)/index\.html", name).groups()
        if int(number) > int(newest.get(listing, (0, ""))[0]):
            newest[listing] = (int(number), name)
    return {name for _, name in newest.values()}


def test_a_new_post_leaves_the_older_pages_of_every_listing_as_they_were(site, tmp_path):
    build, seeds, _ = site
    one_a_page = {"index": None, "entity": None, "period_archives": 1}
    build(PAGINATED_TEMPLATES=one_a_page)
    before = _numbered_pages(tmp_path / "site/output")
    (seeds / "2024-07-20-new.txt").write_text(
        " date 2024-07-20 Foreign ministers of Kazakhstan and Turkey met in Astana.\n\n"
        "They spoke about NATO and the European Union.",
        "utf-8",
    )
    build(PAGINATED_TEMPLATES=one_a_page)  # compared with a build from scratch
    after = _numbered_pages(tmp_path / "site/output")
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed <= _newest(before)  # a newer neighbour at most
    assert len(before) > 3 * len(changed) > 0
    for listing in ("", "country/kazakhstan/", "2024/07/"):
        new = _newest(name for name in after if name.startswith(f"{listing}page/"))
        assert new and new.isdisjoint(before), listing  # one more page, numbered next


def test_a_post_dated_before_the_others_shifts_pages_and_matches_a_build_from_scratch(site):
    build, seeds, _ = site
    build()
    (seeds / "2024-01-02-old.txt").write_text(
        " date 2024-01-02 The foreign minister of Kazakhstan visited Ankara.", "utf-8"
    )
    rendered, unchanged = build()
    assert rendered > 0 and unchanged > 0


def test_a_new_seed_tagged_on_standby_takes_its_place_among_posts_of_the_same_instant(site, caplog):
    """Posts whose tags are cached are made while the process on standby tags the
    new seed (posts.py); two posts of the same instant and title on different
    local days keep the order of their seed files, as in a build from scratch."""
    build, seeds, _ = site
    text = "Foreign ministers of Kazakhstan and Japan met in Astana."
    (seeds / "2024-07-21-b.txt").write_text(
        f" date 2024-07-21T02:00:00+05:00 {text}\n\nThey spoke about trade.", "utf-8"
    )
    build()
    caplog.set_level(logging.INFO, logger=tagcache.__name__)
    (seeds / "2024-07-20-a.txt").write_text(
        f" date 2024-07-20T21:00:00+00:00 {text}\n\nThey spoke about water.", "utf-8"
    )
    build()  # compared with a build from scratch
    assert "Tagged 1 seeds in the process on standby" in caplog.text


def _settled(caplog) -> tuple[int, int]:
    """(renders settled, renders signed) of the last rebuild (pages/settled.py), not
    of the build from scratch the fixture made after it."""
    found = re.findall(r"Page keys: (\d+) of (\d+) renders settled", caplog.text)
    return tuple(map(int, found[0]))


def test_unchanged_pages_and_feeds_take_the_last_build_s_keys(site, caplog):
    """A rebuild works out the keys of the renders whose inputs changed and takes
    the others' from the last build (settled.py); each rebuild is compared with a
    build from scratch by the fixture."""
    build, seeds, _ = site
    caplog.set_level(logging.INFO, logger=settled.__name__)
    build()
    assert _settled(caplog)[0] == 0  # a first build has nothing to take
    build(FULL_BUILD=True)
    kept, signed = _settled(caplog)
    assert kept == signed - 1 > 20  # all but the home page's front, always keyed
    (seeds / "2024-07-20-new.txt").write_text(
        " date 2024-07-20 Foreign ministers of Kazakhstan and Japan met in Astana.\n\n"
        "They spoke about trade with the European Union.",
        "utf-8",
    )
    build()
    kept, signed = _settled(caplog)
    assert 0 < kept < signed
    edited = seeds / "2024-07-03.txt"
    edited.write_text(edited.read_text("utf-8") + "\n\nThe talks lasted two hours.", "utf-8")
    build()
    assert 0 < _settled(caplog)[0] < signed
    (seeds / "2024-07-05.txt").unlink()
    build()
    assert 0 < _settled(caplog)[0] < signed


def test_a_new_headline_slug_or_date_matches_a_build_from_scratch(site, caplog):
    """A post's title (a header), its URL (a slug header: the URL memory moves it and
    redirects the old URL) and its date change what other pages show of it: its
    neighbours, related posts, listings and feeds."""
    build, seeds, _ = site
    caplog.set_level(logging.INFO, logger=settled.__name__)
    build()
    post = seeds / "2024-07-04.txt"
    _, _, date, text = post.read_text("utf-8").split(" ", 3)
    post.write_text(f" date {date}\ntitle: A headline of its own\n\n{text}", "utf-8")
    build()
    assert _settled(caplog)[0] > 0
    post.write_text(f" date {date}\ntitle: A headline of its own\nslug: moved\n\n{text}", "utf-8")
    build()
    post.write_text(f" date 2024-06-30\ntitle: A headline of its own\nslug: moved\n\n{text}")
    build()
    assert _settled(caplog)[0] > 0


def test_a_new_entity_page_matches_a_build_from_scratch(site):
    """An entity mentioned only in passing gets a page once a post is tagged with it:
    the posts that mentioned it now link its page."""
    build, seeds, _ = site
    build()
    (seeds / "2024-07-22-new.txt").write_text(
        " date 2024-07-22 The foreign minister of Brazil, Mauro Vieira, met the president"
        " of Kazakhstan in Astana.\n\nBrazil and Kazakhstan signed a trade agreement.",
        "utf-8",
    )
    build()


def test_another_theme_still_gets_every_page_after_a_change(site):
    """Another theme's pages are rendered every time (themes.py); the feeds, which do
    not depend on the theme, still take settled keys."""
    build, seeds, _ = site
    build(THEME="notmyidea")
    (seeds / "2024-07-20-new.txt").write_text(
        " date 2024-07-20 The president of Kazakhstan spoke about NATO.", "utf-8"
    )
    build(THEME="notmyidea")


def test_an_entity_page_renamed_is_shown_anew_on_every_page_of_its_posts(site, monkeypatch):
    """An entity page's name is the one most of its posts use, so it may change with
    no change to the posts that show it: their cards, pages and feeds show the new
    name (settled.py compares each page's link). Here the name is changed under the
    build, for the rebuild and for the build from scratch alike."""
    build, _, _ = site
    build()
    group = entities.group_by_entity

    def renamed(articles, settings):
        pages = group(articles, settings)
        for page in pages["countries"]:
            if page.slug == "kazakhstan":
                page.name = "Qazaqstan"
        return pages

    monkeypatch.setattr(entities, "group_by_entity", renamed)
    build(FULL_BUILD=True)


def _compiled(tmp_path: Path) -> list[Path]:
    """The compiled templates the site's builds keep (pages/compiled.py)."""
    return sorted((tmp_path / "site" / "cache" / compiled.FOLDER).iterdir())


def test_a_rebuild_compiles_no_template_the_last_build_compiled(site, tmp_path, monkeypatch):
    build, _, _ = site
    build()
    assert _compiled(tmp_path)
    compiles = []
    compile_source = jinja2.Environment._compile
    monkeypatch.setattr(
        jinja2.Environment,
        "_compile",
        lambda self, *args: compiles.append(args) or compile_source(self, *args),
    )
    build_site(
        tmp_path / "site", tmp_path / "seeds", PATH=str(tmp_path / "content"), FULL_BUILD=True
    )
    assert compiles == []


def test_an_edited_template_or_other_jinja_options_compile_it_again(site, tmp_path):
    """Each build is compared with one from scratch (the fixture): the kept code of
    the template as it was, or compiled with other options, is not used."""
    build, _, _ = site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    build(THEME=str(theme))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<p>edited</p></body>"), "utf-8")
    build(THEME=str(theme))
    assert "<p>edited</p>" in (tmp_path / "site" / "output" / "index.html").read_text("utf-8")
    jinja = {"autoescape": True, "trim_blocks": False, "lstrip_blocks": True}
    build(THEME=str(theme), JINJA_ENVIRONMENT=jinja)


def test_a_damaged_compiled_template_is_never_used(site, tmp_path):
    """An entry whose code is another's (valid for Jinja: same format, the checksum
    of the right source) but whose bytes no longer match their digest is compiled
    again; the rebuild equals a build from scratch (the fixture's comparison)."""
    build, _, _ = site
    build()
    environment = jinja2.Environment()
    for path in _compiled(tmp_path):
        data = path.read_bytes()
        stream = io.BytesIO(data[compiled.DIGEST_SIZE + len(jinja2.bccache.bc_magic) :])
        bucket = jinja2.bccache.Bucket(environment, "", pickle.load(stream))
        bucket.code = environment.compile("DAMAGED", "damaged.html")
        path.write_bytes(data[: compiled.DIGEST_SIZE] + bucket.bytecode_to_string())
    build(FULL_BUILD=True)
    assert "DAMAGED" not in (tmp_path / "site" / "output" / "index.html").read_text("utf-8")
