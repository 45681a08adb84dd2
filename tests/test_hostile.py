"""Malformed and hostile seeds, built with real Pelican: each file is published or
rejected by name, the summary line adds up, and nothing from a seed turns into
markup in any HTML, XML or JSON file."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import feedparser
import lxml.html
import pytest

from conftest import FIXTURES, ROOT, build_site
from hostile_checks import assert_no_markup_from_seeds, atom_titles

HOSTILE = FIXTURES / "hostile"
HUGE_MB = 4
XSS_TITLE = "<script>pwned('title')</script> Officials in Kazakhstan said <img src=pwned…"
XSS_POST = "2024/05/22/pwnedtitle-officials-in-kazakhstan-said-img-srcpwned/index.html"

# What the build does with each file: publish it under a title starting so,
# publish it with a warning saying so, or reject it saying why.
PUBLISHED = {
    "good.txt": "Kazakh senators met",
    "crlf-bom.txt": "Officials of Germany and NATO",
    "zone-colon.txt": "The OSCE opened an office",
    "xss.txt": XSS_TITLE,
    "traversal.txt": "../../../../etc/passwd",
    "punctuation-title.txt": "!!! ??? ... <<< >>>",
    "unicode.txt": "Zero\u200bwidth, right-to-left \u202eevil",
    "collision-a.txt": "The Parliament of Kazakhstan met",
    "collision-b.txt": "The Parliament of Kazakhstan met",
    "sub/nested.txt": "A seed in a subfolder",
    "cp1252.txt": "Café talks in Ankara “went well”",
    "latin-1.txt": "Café talks in Paris",
    "utf-16.txt": "Tokayev’s talks in Astana",
    "broken-utf-8.txt": "Kurtulmuş met \ufffd in Ankara",
    "controls.txt": "Talks in[31m Astana ended well",
    "stray-nul.txt": "Talks in Bishkek ended with one stray NUL byte",
    "huge.txt": "The Senate of Kazakhstan met Turkish senators",
}
WARNED = {
    "collision-b.txt": "same date and title slug as collision-a.txt; published as",
    "cp1252.txt": "decoded as cp1252",
    "latin-1.txt": "decoded as Latin-1",
    "utf-16.txt": "decoded as UTF-16 (byte-order mark)",
    "broken-utf-8.txt": "1 bad sequences replaced",
    "controls.txt": "4 control or non-characters removed",
    "stray-nul.txt": "1 control or non-characters removed",
    "huge.txt": f"very large ({HUGE_MB}.0 MB)",
    "xss.txt": "holds HTML markup (<script>)",  # shown as typed, escaped
}
REJECTED = {
    "inside-link.txt": "same text as good.txt, which is published",
    "zz-copy-of-good.txt": "same text as good.txt, which is published",
    "no-date.txt": "no date: the seed must start with 'date YYYY-MM-DD'",
    "'evil\\n\\x1b[31mname.txt'": "no date",
    "impossible-date.txt": "invalid date '2024-02-30' (day is out of range",
    "far-date.txt": "impossible date '9999-12-31T23:59:59-12:00'",
    "bad-date.txt": "invalid date 'yesterday'",
    "date-only.txt": "no text after the date",
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "nul.png": "binary content (NUL or other control bytes are over 1% of it)",
    "utf-16-no-bom.txt": "UTF-16 without a byte-order mark",
    "bad-utf-16.txt": "undecodable: has a UTF-16 byte-order mark",
    "too-large.txt": "too large: over 8 MB, not read",
    "outside-link.txt": "outside the seeds folder: refused",
    "outside-folder-link": "outside the seeds folder: refused",
    "inside-folder-link": "symbolic link to a folder: not followed",
    "broken-link.txt": "broken symbolic link",
    "loop-link.txt": "broken symbolic link",
    "fifo.txt": "not a regular file",
}


def make_hostile_seeds(folder: Path, huge: bool = True) -> Path:
    """The fixture seeds plus those better made here: bytes, links, special files."""
    shutil.copytree(HOSTILE, folder)
    files = {
        "cp1252.txt": " date 2024-05-24 Café talks in Ankara “went well” for Turkey.".encode(
            "cp1252"
        ),
        "latin-1.txt": b" date 2024-05-24 Caf\xe9 \x81talks in Paris for France.",
        "utf-16.txt": " date 2024-05-24 Tokayev’s talks in Astana, in UTF-16.".encode("utf-16"),
        "broken-utf-8.txt": " date 2024-05-24 Kurtulmuş met ".encode() + b"\xff in Ankara.",
        "controls.txt": " date 2024-05-24 Talks\x07 in\x1b[31m Astana\x0c ended\ufffe well.".encode(),
        "stray-nul.txt": b" date 2024-05-24 Talks in Bishkek\x00 ended with one stray NUL byte "
        b"among the normal text of a long enough seed from Kyrgyzstan, under one per cent.",
        "nul.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "utf-16-no-bom.txt": " date 2024-05-24 Talks.".encode("utf-16-le"),
        "bad-utf-16.txt": b"\xff\xfe d\x00\xd8",
        "evil\n\x1b[31mname.txt": b"A name with a newline and a terminal escape.",
        "sub/nested.txt": b" date 2024-05-26 A seed in a subfolder about Kazakhstan.",
        ".hidden/seed.txt": b" date 2024-05-26 Hidden folders are skipped.",
        ".hidden.txt": b" date 2024-05-26 Hidden files are skipped.",
    }
    if huge:  # one line of megabytes, naming entities all along
        line = "The Senate of Kazakhstan met Turkish senators and Speaker Numan Kurtulmuş said so. "
        files["huge.txt"] = b" date 2024-05-25 " + (line * (HUGE_MB * 2**20 // len(line))).encode()
    for name, raw in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(raw)
    with open(folder / "too-large.txt", "wb") as file:
        file.truncate(9 * 2**20)  # sparse: takes no disk space
    outside = folder.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(" date 2024-05-26 A secret from outside the seeds.")
    (folder / "outside-link.txt").symlink_to(outside / "secret.txt")
    (folder / "outside-folder-link").symlink_to(outside)
    (folder / "inside-folder-link").symlink_to(folder / "sub")
    (folder / "inside-link.txt").symlink_to("good.txt")
    (folder / "broken-link.txt").symlink_to("missing.txt")
    (folder / "loop-link.txt").symlink_to("loop-link.txt")
    os.mkfifo(folder / "fifo.txt")
    return folder


@dataclass
class Build:
    output: Path
    records: list[logging.LogRecord]
    printed: list[str]

    def messages(self, level: int) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == level]


def capture_build(tmp_path: Path, seeds: Path, **override) -> Build:
    """Build with real Pelican, keeping every log record and printed line."""
    records, printed = [], io.StringIO()
    handler = logging.Handler()
    handler.emit = records.append
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        with contextlib.redirect_stdout(printed):
            output = build_site(tmp_path, seeds, **override)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return Build(output, records, printed.getvalue().splitlines())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Build:
    tmp_path = tmp_path_factory.mktemp("hostile")
    return capture_build(tmp_path, make_hostile_seeds(tmp_path / "seeds"))


def test_every_file_is_published_or_named_with_its_problem(hostile):
    errors, warnings = hostile.messages(logging.ERROR), hostile.messages(logging.WARNING)
    for name, says in REJECTED.items():
        assert [m for m in errors if m.startswith(f"Seed {name} rejected: ") and says in m], name
    for name, says in WARNED.items():
        assert [m for m in warnings if m.startswith(f"Seed {name}: ") and says in m], name
    assert len(errors) == len(REJECTED)
    assert {m.split(":")[0].removeprefix("Seed ") for m in warnings} == set(WARNED)
    assert "Seed latin-1.txt: 1 control or non-characters removed" in warnings  # \x81: C1
    notes = hostile.messages(logging.INFO)
    assert any(m.endswith("hidden entries skipped: .hidden, .hidden.txt") for m in notes)
    assert "Seed crlf-bom.txt: CR or CRLF line ends read as LF" in notes


def test_one_summary_line_names_the_rejected_files(hostile):
    assert len(REJECTED) == 20  # all named; more would end with ", … N more"
    assert [line for line in hostile.printed if "seeds read" in line] == [
        f"{len(PUBLISHED) + len(REJECTED)} seeds read, {len(PUBLISHED)} published, "
        f"{len(REJECTED)} rejected ({', '.join(sorted(REJECTED))})"
    ]


def posts(output: Path) -> dict[str, str]:
    """Post URL path → its title."""
    return {
        page.parent.relative_to(output).as_posix(): lxml.html.parse(page).findtext(".//h1")
        for page in output.glob("20*/*/*/*/index.html")
    }


def test_valid_and_tolerated_seeds_are_posts_colliding_titles_at_distinct_urls(hostile):
    found = posts(hostile.output)
    assert len(found) == len(PUBLISHED)
    for name, start in PUBLISHED.items():
        assert [t for t in found.values() if t.startswith(start)], name
    same = sorted(url for url, title in found.items() if title == PUBLISHED["collision-a.txt"])
    assert same[0] == "2024/05/23/the-parliament-of-kazakhstan-met"
    assert re.fullmatch(re.escape(same[0]) + "-[0-9a-f]{8}", same[1])
    assert "2024/05/22/etcpasswd-was-not-published-by-the-senate-of-kazakhstan" in found
    assert "2024/05/22/post" in found  # a title without a letter


def test_nothing_from_outside_or_hidden_seeds_is_published(hostile):
    for path in hostile.output.rglob("*"):
        if path.is_file():
            text = path.read_bytes()
            assert b"A secret from outside" not in text and b"are skipped" not in text, path


def test_seed_text_is_shown_as_text(hostile):
    page = lxml.html.parse(hostile.output / XSS_POST)
    assert page.findtext(".//h1") == XSS_TITLE
    paragraphs = [p.text_content() for p in page.findall(".//div[@class='text']/p")]
    assert paragraphs[1].startswith("Second paragraph: </p></div><script>pwned(2)</script>")
    assert "{{ 7*7 }} {% raw %} {filename}/pwned.html" in paragraphs[2]
    assert "49" not in paragraphs[2]
    people = [a.text_content() for a in page.findall(".//aside//a[@class='chip people']")]
    assert people == ["Dara O'Brien"]


def test_no_markup_from_a_seed_in_any_html_xml_or_json_file(hostile):
    assert assert_no_markup_from_seeds(hostile.output) > 30


def test_every_feed_parses_with_the_seed_titles(hostile):
    feeds = sorted(hostile.output.rglob("*.xml"))
    assert len(feeds) > 5
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
    titles = atom_titles(hostile.output / "atom.xml")
    assert XSS_TITLE in titles
    assert len(titles) == len(posts(hostile.output))


def test_huge_seed_page_and_feeds_hold_its_text(hostile):
    page = next(hostile.output.glob("2024/05/25/*/index.html"))
    assert page.stat().st_size > HUGE_MB * 2**20
    feed = feedparser.parse((hostile.output / "country/kazakhstan/rss.xml").read_bytes())
    assert feed.bozo == 0
    entry = next(e for e in feed.entries if "/2024/05/25/" in e.link)
    assert len(entry.content[0].value) > HUGE_MB * 10**6  # characters


def pelican(seeds: Path, output: Path, *options: str, hashseed: str = "0"):
    """`pelican` in a subprocess, as CI runs it."""
    command = [
        Path(sys.executable).with_name("pelican"),
        *("-s", ROOT / "pelican.conf.py", "-o", output, "--log-handler", "plain"),
        "-e",  # once: a second -e would replace the first
        f"SEEDS_PATH={json.dumps(str(seeds))}",
        f"CACHE_PATH={json.dumps(str(seeds.parent / 'cache'))}",
        f"URL_MEMORY={json.dumps(f'{output}.urls.tsv')}",
        "DEFAULT_PAGINATION=2",
        *options,
    ]
    env = os.environ | {"PYTHONHASHSEED": hashseed}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=seeds.parent)


def test_same_seeds_give_byte_identical_output_whatever_the_hash_seed(tmp_path):
    seeds = make_hostile_seeds(tmp_path / "seeds", huge=False)
    shutil.copytree(FIXTURES / "seeds", seeds / "more")
    runs = {seed: pelican(seeds, tmp_path / f"out-{seed}", hashseed=seed) for seed in ("1", "2")}
    assert [run.returncode for run in runs.values()] == [0, 0], runs["1"].stderr
    first, second = tmp_path / "out-1", tmp_path / "out-2"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) > 40
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_fatal_errors_fails_naming_every_bad_seed_and_writes_nothing(tmp_path):
    seeds = make_hostile_seeds(tmp_path / "seeds", huge=False)
    output = tmp_path / "site/output"  # in a folder yet to be made
    run = pelican(seeds, output, "--fatal", "errors")
    assert run.returncode == 1
    for name in REJECTED:
        assert f"Seed {name} rejected: " in run.stderr, name
    assert f"{len(REJECTED)} rejected (" in run.stdout
    assert f"Build failed: {output} left as it was" in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "seeds", "site"]
    assert [p.name for p in output.parent.iterdir()] == [".output.lock"]  # lock.py


def test_fatal_errors_passes_on_good_seeds(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "seeds", seeds, ignore=shutil.ignore_patterns("no-date.txt"))
    run = pelican(seeds, tmp_path / "output", "--fatal", "errors")
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "output").glob("20*/*/*/*/index.html"))) == 3


def test_colliding_titles_keep_their_urls_when_texts_change_and_seeds_arrive(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("collision-a.txt", "collision-b.txt"):
        shutil.copy(HOSTILE / name, seeds)
    before = set(posts(build_site(tmp_path, seeds)))
    assert len(before) == 2
    edited = (HOSTILE / "collision-b.txt").read_text().replace("army", "navy")
    (seeds / "collision-b.txt").write_text(edited)
    (seeds / "collision-c.txt").write_text(edited.replace("navy", "air force"))
    after = set(posts(build_site(tmp_path, seeds)))
    assert before < after and len(after) == 3


def test_warnings_show_on_every_build_of_a_process(tmp_path, logged):
    """Pelican's LimitFilter would drop a repeated warning (think --autoreload)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "cp1252.txt").write_bytes(" date 2024-05-24 Café talks.".encode("cp1252"))
    for _ in range(2):
        build_site(tmp_path, seeds)
    assert len([m for m in logged() if m.startswith("Seed cp1252.txt: not valid UTF-8")]) == 2
