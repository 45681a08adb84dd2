"""The tag cache and parallel tagging, through real builds and the real tagger."""

import itertools
import logging
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import lxml.html
import pytest
from pelican.log import LimitFilter

from bulletin.seeds import seedcache
from bulletin.seeds.seeds import read_seed
from bulletin.store import Store
from bulletin.tagging import EditorialError, Tags, tag_many, tag_text
from bulletin.tags import standby, tagcache
from bulletin.tags.tagpool import (
    POOL_WORTH,
    SAMPLE,
    BatchTagger,
    TaggingError,
    tag_texts,
)
from conftest import FIXTURES, ROOT
from conftest import build_site as build_once

SEEDS = sorted(p for p in FIXTURES.joinpath("seeds").glob("2024-*.txt"))
SLOW = 0.01  # seconds a text
POST = "2024/06/03/foreign-ministers-of-nato-met-in-brussels-on-monday/index.html"
JAPAN = "2024/07/01/the-foreign-minister-of-japan-met-antony-blinken-in-tokyo/index.html"


def paragraphs() -> list[str]:
    found = []
    for path in [*SEEDS, *ROOT.joinpath("seeds").glob("*.txt")]:
        found += read_seed(path).paragraphs
    return found


def many_texts(count: int) -> list[str]:
    """Distinct texts: three real paragraphs, each sequence once."""
    triples = itertools.permutations(paragraphs(), 3)
    return ["\n\n".join(triple) for triple in itertools.islice(triples, count)]


def build_site(*args, **kwargs) -> Path:
    """A build whose log repeats lines an earlier build logged (Pelican drops
    repeated lines within a process)."""
    LimitFilter._raised_messages.clear()
    return build_once(*args, **kwargs)


def _tag_with_pid(texts: list[str]):
    return [(os.getpid(), tags) for tags in tag_many(texts)]


def _fast_tag_with_pid(texts: list[str]):
    """A tagger as fast as a gazetteer lookup."""
    return [(os.getpid(), Tags()) for _ in texts]


def _slow_tag_with_pid(texts: list[str]):
    """A tagger as slow as a statistical model."""
    time.sleep(SLOW * len(texts))
    return _tag_with_pid(texts)


@pytest.fixture
def cache_log(caplog):
    """The cache's log lines of a build."""
    caplog.set_level(logging.INFO, logger=tagcache.__name__)
    return lambda: [r.getMessage() for r in caplog.records if r.name == tagcache.__name__]


def chips(output: Path, post: str = POST) -> list[str]:
    page = lxml.html.fromstring((output / post).read_bytes())
    return [a.text_content().strip() for a in page.findall(".//aside//li/a")]


def test_slow_tagging_of_many_texts_runs_in_a_pool_with_the_serial_result_in_order():
    texts = many_texts(SAMPLE + int(2 * POOL_WORTH / SLOW))
    assert len(set(texts)) == len(texts)
    parallel = tag_texts(texts, _slow_tag_with_pid, workers=2)
    assert [tags for _, tags in parallel] == [tag_text(text) for text in texts]
    assert {pid for pid, _ in parallel} - {os.getpid()}, "no worker process tagged anything"


@pytest.mark.parametrize(
    ("count", "tag"),
    [(int(POOL_WORTH / SLOW / 3), _slow_tag_with_pid), (1000, _fast_tag_with_pid)],
    ids=["few texts", "fast tagger"],
)
def test_few_texts_or_a_fast_tagger_stay_in_this_process(count, tag):
    texts = many_texts(count)
    assert len(set(texts)) == len(texts) == count
    assert {pid for pid, _ in tag_texts(texts, tag, workers=2)} == {os.getpid()}


def test_second_build_takes_every_tag_from_the_cache_and_gives_the_same_site(tmp_path, cache_log):
    first = build_site(tmp_path / "a", CACHE_PATH=str(tmp_path / "cache"))
    assert cache_log()[-1] == "Tags: 3 seeds, 0 from cache, 3 tagged"
    second = build_site(tmp_path / "b", CACHE_PATH=str(tmp_path / "cache"))
    assert cache_log()[-1] == "Tags: 3 seeds, 3 from cache, 0 tagged"
    assert sorted(p.read_bytes() for p in first.rglob("*") if p.is_file()) == sorted(
        p.read_bytes() for p in second.rglob("*") if p.is_file()
    )


def test_edited_seed_is_retagged(tmp_path, cache_log):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    build_site(tmp_path, seeds=seeds)
    nato = seeds / "2024-06-03-nato-ministers.txt"
    text = nato.read_text("utf-8").replace("stay united.", "stay united with Japan.")
    nato.write_text(text, "utf-8")
    output = build_site(tmp_path, seeds=seeds)
    assert cache_log()[-1] == "Tags: 3 seeds, 2 from cache, 1 tagged"
    page = lxml.html.fromstring((output / POST).read_bytes())
    assert "Japan" in page.find(".//section[@class='mentioned']").text_content()


def test_editing_the_editorial_file_retags_on_the_next_build(tmp_path, cache_log):
    """A cache entry for the current tagger version is used as it is (here a
    planted one, tagging the NATO post with nothing); after an edit of the
    editorial file the same seed is tagged afresh."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = {"PATH": str(content), "ENTITIES_FILE": "entities.yml"}
    digest = read_seed(FIXTURES / "seeds/2024-06-03-nato-ministers.txt").digest
    version = tagcache.make_tagger(settings).version
    Store(tmp_path / "cache" / tagcache.CACHE_DIR, version).save({digest: Tags()})

    assert chips(build_site(tmp_path, PATH=str(content))) == []
    (content / "entities.yml").write_text("# an editor's note\n", "utf-8")
    assert tagcache.make_tagger(settings).version != version
    assert "NATO" in chips(build_site(tmp_path, PATH=str(content)))


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_damaged_cache_is_rebuilt_with_a_warning(tmp_path, caplog, cache_log, damage):
    cache = tmp_path / "cache" / tagcache.CACHE_DIR
    build_site(tmp_path)
    (path,) = cache.glob("*.store")
    path.write_bytes(damage)
    # No input changed, so each build is forced (else skipped as up to date).
    output = build_site(tmp_path, FULL_BUILD=True)
    assert f"Cache {path} damaged (not a cache file of this kind): rebuilt" in caplog.text
    assert cache_log()[-1] == "Tags: 3 seeds, 0 from cache, 3 tagged"
    assert "NATO" in chips(output)
    assert build_site(tmp_path, FULL_BUILD=True)
    assert cache_log()[-1] == "Tags: 3 seeds, 3 from cache, 0 tagged"


def test_cache_holds_only_the_current_seeds_and_version(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    build_site(tmp_path, seeds=seeds)
    (seeds / "2024-06-01-osce-session.txt").unlink()
    (tmp_path / "cache" / tagcache.CACHE_DIR / "old-version.store").write_bytes(b"")
    build_site(tmp_path, seeds=seeds)
    (path,) = (tmp_path / "cache" / tagcache.CACHE_DIR).iterdir()
    assert len(Store(path.parent, path.stem).load()) == 2


def test_cache_can_be_turned_off(tmp_path, cache_log):
    build_site(tmp_path, TAG_CACHE=False)
    build_site(tmp_path, TAG_CACHE=False)
    assert cache_log()[-1] == "Tags: 3 seeds, 0 from cache, 3 tagged"
    assert not (tmp_path / "cache" / tagcache.CACHE_DIR).exists()


class _FailingTagger:
    """Fails on texts naming Blinken, optionally as slowly as a statistical model."""

    def __init__(self, slow: bool):
        self.slow = slow

    def tag_many(self, texts: list[str], memos: list):
        if self.slow:
            time.sleep(SLOW * len(texts))
        if any("Blinken" in text for text in texts):
            raise ValueError("no tags for this one")
        return tag_many(texts)


@pytest.mark.parametrize("slow", [False, True])
def test_a_text_the_tagger_fails_on_gets_its_error_and_the_others_their_tags(slow):
    texts = many_texts(SAMPLE + int(2 * POOL_WORTH / SLOW))
    results = tag_texts(
        [(text, {}) for text in texts], BatchTagger(_FailingTagger(slow)), workers=2
    )
    failed = [i for i, text in enumerate(texts) if "Blinken" in text]
    assert 0 < len(failed) < len(texts)
    for index, (text, (result, _)) in enumerate(zip(texts, results, strict=True)):
        if index in failed:
            assert isinstance(result, TaggingError) and "no tags for this one" in str(result)
        else:
            assert result == tag_text(text)


def _new_seed(tmp_path) -> Path:
    """The fixture seeds, built once; then a new seed beside them."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    build_site(tmp_path, seeds=seeds)
    (seeds / "2024-07-01-japan.txt").write_text(
        " date 2024-07-01 The foreign minister of Japan met Antony Blinken in Tokyo.", "utf-8"
    )
    return seeds


def test_a_new_seed_is_tagged_by_a_process_that_loaded_the_model_meanwhile(tmp_path, cache_log):
    output = build_site(tmp_path, seeds=_new_seed(tmp_path))
    assert "Tagged 1 seeds in the process on standby" in cache_log()
    assert cache_log()[-1] == "Tags: 4 seeds, 3 from cache, 1 tagged"
    assert {"🇯🇵 Japan", "Antony Blinken"} <= set(chips(output, JAPAN))


def test_if_the_process_on_standby_fails_the_seed_is_tagged_here(tmp_path, cache_log, monkeypatch):
    seeds = _new_seed(tmp_path)
    monkeypatch.setattr(standby, "_serve", lambda connection, settings: os._exit(1))
    output = build_site(tmp_path, seeds=seeds)
    assert any("standby failed" in line for line in cache_log())
    assert cache_log()[-1] == "Tags: 4 seeds, 3 from cache, 1 tagged"
    assert {"🇯🇵 Japan", "Antony Blinken"} <= set(chips(output, JAPAN))


def test_the_process_on_standby_starts_before_the_seed_cache_loads(tmp_path, monkeypatch):
    """A new seed file is spotted from its stamp alone, so the model loads while
    the build reads the caches (seedcache.touched_since_saved)."""
    seeds = _new_seed(tmp_path)
    on_standby, load = [], seedcache.SeedCache.load
    monkeypatch.setattr(
        seedcache.SeedCache, "load", lambda self: on_standby.append(standby._standby) or load(self)
    )
    build_site(tmp_path, seeds=seeds)
    assert len(on_standby) == 1 and on_standby[0] is not None


def test_the_process_on_standby_starts_before_the_build_imports_its_code(tmp_path, monkeypatch):
    """The up-to-date check's stamps of the seeds folder tell a new seed file, so
    the model loads while the build imports and wires its own code."""
    from bulletin import wiring

    seeds = _new_seed(tmp_path)
    on_standby, wire = [], wiring.wire
    monkeypatch.setattr(
        wiring, "wire", lambda pelican: on_standby.append(standby._standby) or wire(pelican)
    )
    build_site(tmp_path, seeds=seeds)
    assert len(on_standby) == 1 and on_standby[0] is not None


def test_a_process_on_standby_with_another_taggers_version_leaves_the_seed_to_be_tagged_here(
    tmp_path, cache_log, monkeypatch
):
    """The editorial file edited after the process started: its tagger is not the
    build's, so it tags nothing and the build tags the seed itself."""
    seeds = _new_seed(tmp_path)
    send = standby.Standby.send
    monkeypatch.setattr(
        standby.Standby, "send", lambda self, version, jobs: send(self, "another", jobs)
    )
    output = build_site(tmp_path, seeds=seeds)
    assert any("another tagger's version: tagging here" in line for line in cache_log())
    assert cache_log()[-1] == "Tags: 4 seeds, 3 from cache, 1 tagged"
    assert {"🇯🇵 Japan", "Antony Blinken"} <= set(chips(output, JAPAN))


def test_a_build_that_fails_leaves_no_process_on_standby(tmp_path, monkeypatch):
    """Started as the build starts, the process is stopped when the build ends,
    however it ends (here: an editorial file that cannot be used)."""
    seeds = _new_seed(tmp_path)
    started, start = [], standby.Standby.__init__
    monkeypatch.setattr(
        standby.Standby, "__init__", lambda self, *a: started.append(self) or start(self, *a)
    )
    broken = tmp_path / "entities.yml"
    broken.write_text("countries:\n  Japan:\n    renam: Nippon\n", "utf-8")
    with pytest.raises(EditorialError):
        build_site(tmp_path, seeds=seeds, ENTITIES_FILE=str(broken))
    assert len(started) == 1 and not started[0].process.is_alive()
    assert standby._standby is None


def test_the_process_on_standby_ends_quietly_when_it_cannot_make_its_tagger(tmp_path):
    """Its build says what is wrong (above): the process prints no traceback."""
    broken = tmp_path / "entities.yml"
    broken.write_text("countries:\n  Japan:\n    renam: Nippon\n", "utf-8")
    parent, child = multiprocessing.Pipe()
    settings = {"PATH": str(tmp_path), "ENTITIES_FILE": "entities.yml"}
    assert standby._serve(child, settings) is None
    child.close()
    with pytest.raises(EOFError):  # nothing sent: the build tags itself, or fails
        parent.recv()


def test_a_false_alarm_of_the_quick_check_stops_the_process_on_standby(
    tmp_path, cache_log, monkeypatch
):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    build_site(tmp_path, seeds=seeds)
    (saved,) = (tmp_path / "cache" / seedcache.CACHE_DIR).glob("*.store")
    os.utime(saved, ns=(0, 0))  # as if saved before the seeds were written
    stopped, stop = [], standby.Standby.stop
    monkeypatch.setattr(standby.Standby, "stop", lambda self: stopped.append(self) or stop(self))
    build_site(tmp_path, seeds=seeds, FULL_BUILD=True)  # no input changed: not up to date
    assert len(stopped) == 1 and not stopped[0].process.is_alive()
    assert standby._standby is None
    assert cache_log()[-1] == "Tags: 3 seeds, 3 from cache, 0 tagged"


def test_no_process_on_standby_when_no_seed_is_new_or_changed(tmp_path, monkeypatch):
    """A rejected seed (no date), read again on every build, or a removed one,
    gives nothing to tag: no model is loaded on standby."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds)
    build_site(tmp_path, seeds=seeds)
    started, start = [], standby.Standby.__init__
    monkeypatch.setattr(
        standby.Standby, "__init__", lambda self, *a: started.append(self) or start(self, *a)
    )
    build_site(tmp_path, seeds=seeds)
    (seeds / SEEDS[0].name).unlink()
    build_site(tmp_path, seeds=seeds)
    assert started == []
    (seeds / "2024-07-01-new.txt").write_text(" date 2024-07-01 Japan voted.", "utf-8")
    build_site(tmp_path, seeds=seeds)
    assert len(started) == 1
