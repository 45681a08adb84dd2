"""Benchmark: Bulletin against plain Pelican 4.12 on the same articles.

    python bench/run.py [--seeds 10000] [--repeat 3] [--corpora ../shared/corpora]

Seeds come from the Reuters-21578 corpus (with the corpus' make_seeds.py) when
the corpora folder has it, topped up with generated seeds when N is larger;
without it, all are generated. The anchor is what a user would do without the
plugin: plain Pelican, default theme, the same articles as Markdown with the
same entities as Pelican tags, per-tag RSS feeds, the same pagination, and
Pelican's content cache on. Every build is a `pelican` subprocess; its peak
memory is sampled every 100 ms: the sum of the PSS of the process and its
children (their RSS, with pages shared after a fork counted once), or the
largest RSS of one process if higher.
Prints one table: medians of the runs, [min–max], and our time ÷ Pelican's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bulletin.seeds.seeds import read_seed
from bulletin.tagging import tag_many, tag_text
from bulletin.tagging.gazetteer import countries, organisations
from bulletin.tags.tagcache import tag_texts

ROOT = Path(__file__).resolve().parent.parent
PELICAN = Path(sys.executable).with_name("pelican")
REUTERS = "reuters21578-train.jsonl.gz"
SITEURL = "https://bulletin.test"
ROWS = {
    "cold": "cold build (empty cache and output)",
    "warm": "rebuild, nothing changed",
    "add": "rebuild after adding one seed",
    "edit": "rebuild after editing one seed",
    "entities": "rebuild after an entity-data edit",
}
ANCHOR_SETTINGS = f"""
SITENAME = "Plain Pelican"
SITEURL = {SITEURL!r}
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
DEFAULT_PAGINATION = 20
TAG_FEED_RSS = "feeds/{{slug}}.rss.xml"
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


# ---------------------------------------------------------------- measuring


@dataclass
class Build:
    seconds: float
    cpu: float  # user + system seconds of the process and its children
    peak_memory: int  # bytes: the process tree's PSS, or one process' RSS if higher
    files_written: int
    bytes_written: int


def run_build(command: list[str], cwd: Path, output: Path) -> Build:
    """Run one build; its wall time, peak RSS (process tree) and files written."""
    before = _snapshot(output)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    sampler = _MemorySampler(process.pid)
    sampler.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.stop()
    if process.returncode:
        sys.exit(f"build failed ({process.returncode}): {' '.join(command)}\n{stderr[-3000:]}")
    after = _snapshot(output)
    written = [path for path, stamp in after.items() if before.get(path) != stamp]
    return Build(
        seconds,
        usage.ru_utime + usage.ru_stime,
        max(sampler.peak, usage.ru_maxrss * 1024),
        len(written),
        sum(after[path][1] for path in written),
    )


def _snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under folder: (inode, size, mtime in ns)."""
    found = {}
    stack = [str(folder)] if folder.exists() else []
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[entry.path] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


class _MemorySampler(threading.Thread):
    """Polls the memory of a process and its descendants: the sum of their
    proportional set sizes (PSS: shared pages, as after a fork, split between
    the processes sharing them), or of their RSS where there is no PSS."""

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def run(self):
        while not self._done.wait(0.1):
            self.peak = max(self.peak, sum(self._memory(pid) for pid in self._tree(self.pid)))

    def stop(self):
        self._done.set()
        self.join()

    def _tree(self, pid: int) -> list[int]:
        pids, index = [pid], 0
        while index < len(pids):
            try:
                for task in os.listdir(f"/proc/{pids[index]}/task"):
                    with open(f"/proc/{pids[index]}/task/{task}/children") as file:
                        pids += [int(child) for child in file.read().split()]
            except OSError:
                pass
            index += 1
        return pids

    def _memory(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as file:
                for line in file:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        try:
            with open(f"/proc/{pid}/statm") as file:
                return int(file.read().split()[1]) * self.PAGE
        except (OSError, IndexError, ValueError):
            return 0


# ---------------------------------------------------------------- inputs


def make_seeds(folder: Path, count: int, corpora: Path) -> str:
    """count seed files in folder; returns where they came from."""
    folder.mkdir(parents=True)
    script, corpus = corpora / "make_seeds.py", corpora / REUTERS
    made = 0
    if script.is_file() and corpus.is_file():
        subprocess.run(
            [sys.executable, script, corpus, folder, "--limit", str(count), "--width", "6"],
            check=True,
            capture_output=True,
        )
        made = len(list(folder.iterdir()))
    if made < count:
        _generate_seeds(folder, made, count - made)
    if made == 0:
        return "generated"
    return "Reuters-21578" + (f" + {count - made} generated" if made < count else "")


def _generate_seeds(folder: Path, first: int, count: int) -> None:
    """Deterministic newsy texts, each about a few entities as Reuters stories
    are (1–3 countries, 0–2 organisations, 0–2 people), popular ones more often."""
    rng = random.Random(first)
    places = sorted(set(countries()))
    bodies = sorted(set(organisations()))
    rng.shuffle(places)  # the popular ones: those early in these lists
    rng.shuffle(bodies)
    given = (
        "Anna Boris Chen Dana Emil Farida Gulnara Hans Ines Jamal Kenji Lars Maria Nurlan".split()
    )
    family = "Abenov Berg Costa Dumont Eriksen Fischer Garcia Haddad Ivanova Jensen Kim".split()
    verbs = ["met", "called", "visited", "criticised", "signed an accord with", "hosted"]

    def popular(names: list[str], most: int) -> list[str]:
        picks = {names[int(len(names) * rng.random() ** 3)] for _ in range(most)}
        return sorted(picks)

    for index in range(first, first + count):
        cast_places = popular(places, rng.randint(1, 3))
        cast_bodies = popular(bodies, rng.randint(0, 2)) or ["the government"]
        people = [f"{rng.choice(given)} {rng.choice(family)}" for _ in range(rng.randint(0, 2))]
        speakers = people or ["a spokesman"]
        paragraphs = []
        for _ in range(rng.randint(3, 7)):
            sentences = [
                f"Officials of {rng.choice(cast_places)} {rng.choice(verbs)} the"
                f" {rng.choice(cast_bodies)} on day {rng.randint(1, 9999)}, {rng.choice(speakers)} said.",
                f"The talks covered trade, energy and {rng.randint(2, 99)} other items,"
                f" according to {rng.choice(speakers)}.",
                f"Prices rose {rng.randint(1, 30)} pct in the quarter, the figures showed.",
            ]
            paragraphs.append(" ".join(rng.sample(sentences, rng.randint(2, 3))))
        date = f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text = f" date {date} " + "\n\n".join(paragraphs)
        folder.joinpath(f"gen-{index:06d}.txt").write_text(text, "utf-8")


def distinct_seeds(folder: Path) -> list:
    """The seeds the build publishes: readable, each text once."""
    read = {}
    for path in sorted(folder.iterdir()):
        try:
            seed = read_seed(path)
        except ValueError:
            continue
        read.setdefault(seed.digest, seed)
    return list(read.values())


def markdown_articles(unique: list, content: Path) -> dict[str, str]:
    """Each seed as a Markdown article tagged with its entities, as a
    plain-Pelican user would write it; returns seed file name → article path."""
    content.mkdir(parents=True)
    tagged = tag_texts([seed.text for seed in unique], tag_many)
    written = {}
    for seed, tags in zip(unique, tagged, strict=True):
        target = content / f"{Path(seed.path).stem}.md"
        target.write_text(markdown(seed, tags), "utf-8")
        written[Path(seed.path).name] = str(target)
    return written


def markdown(seed, tags) -> str:
    names = [tag.entity.name.replace(",", " ") for _, found in tags.by_kind() for tag in found]
    header = [
        f"Title: {seed.title}",
        f"Date: {seed.date:%Y-%m-%d %H:%M}",
        f"Slug: {seed.slug}-{seed.digest[:8]}",
        f"Tags: {', '.join(names)}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(seed.paragraphs) + "\n"


# ---------------------------------------------------------------- the sites


class Site:
    """A site under test: how to build it and how to make each change."""

    name = ""

    def __init__(self, work: Path):
        self.work, self.output, self.cache = work, work / "output", work / "cache"

    def build(self) -> Build:
        return run_build(self.command(), self.work, self.output)

    def clean(self) -> None:
        """Empty the output and cache folders by moving them to the work
        folder's trash, deleted when the benchmark ends: on ext4 without a
        journal, new files are slow to create for minutes after a mass deletion,
        which would time the deletion rather than the build."""
        trash = self.work.parent / "trash"
        trash.mkdir(exist_ok=True)
        for folder in (self.output, self.cache, self.work / ".output.releases"):
            if folder.exists():
                folder.rename(trash / f"{len(list(trash.iterdir()))}-{folder.name}")

    def measure(self, results: dict[str, list[Build]]) -> None:
        """One run of every row, leaving the inputs as they were."""
        self.clean()
        results["cold"].append(self.build())
        results["warm"].append(self.build())
        with self.added():
            results["add"].append(self.build())
        with self.edited():
            results["edit"].append(self.build())
        with self.entities_edited():
            results["entities"].append(self.build())


class _Restoring:
    """Undo a change to files on exit: restore their bytes, remove new ones."""

    def __init__(self, change, *paths: Path):
        self.change, self.saved = change, {p: p.read_bytes() if p.exists() else None for p in paths}

    def __enter__(self):
        self.change()

    def __exit__(self, *_):
        for path, data in self.saved.items():
            if data is None:
                path.unlink()
            else:
                path.write_bytes(data)


class Bulletin(Site):
    name = "Bulletin"

    def __init__(self, work: Path, seeds: Path, extra: Path, edit: Path):
        super().__init__(work)
        self.seeds, self.extra, self.edit = seeds, extra, edit
        self.content = work / "content"
        shutil.copytree(ROOT / "content", self.content)
        self.entities_file = self.content / "entities.yml"

    def command(self):
        overrides = {
            "SEEDS_PATH": str(self.seeds),
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "CACHE_PATH": str(self.cache),
            "URL_MEMORY": str(self.work / "urls.tsv"),  # not the repository's content/urls.tsv
            "SITEURL": SITEURL,
        }
        settings = [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
        return [str(PELICAN), "-q", "-s", str(ROOT / "pelican.conf.py"), "-e", *settings]

    def added(self):
        target = self.seeds / self.extra.name
        return _Restoring(lambda: shutil.copy(self.extra, target), target)

    def edited(self):
        return _Restoring(
            lambda: _append(self.edit, "\n\nThe statement was later confirmed."), self.edit
        )

    def entities_edited(self):
        return _Restoring(
            lambda: _append(self.entities_file, "\n# bench: an editor's change\n"),
            self.entities_file,
        )


class PlainPelican(Site):
    name = "Pelican"

    def __init__(self, work: Path, articles: dict[str, str], extra: Path, edit: Path, tag: str):
        super().__init__(work)
        self.content = work / "content"
        self.articles = {name: Path(path) for name, path in articles.items()}
        self.extra_md = self.content / f"{extra.stem}.md"
        self.extra_text = markdown(read_seed(extra), tag_text(read_seed(extra).text))
        self.edit = self.articles[edit.name]
        self.tag = tag
        (work / "pelicanconf.py").write_text(ANCHOR_SETTINGS, "utf-8")

    def command(self):
        return [str(PELICAN), "-q", "-s", str(self.work / "pelicanconf.py"), "-o", str(self.output)]

    def added(self):
        return _Restoring(lambda: self.extra_md.write_text(self.extra_text, "utf-8"), self.extra_md)

    def edited(self):
        return _Restoring(
            lambda: _append(self.edit, "\nThe statement was later confirmed.\n"), self.edit
        )

    def entities_edited(self):
        """What a plain-Pelican editor does to rename an entity: edit the tags
        of every article that has it."""
        tagged = [p for p in self.articles.values() if self._has_tag(p)]

        def rename():
            for path in tagged:
                text = path.read_text("utf-8")
                path.write_text(text.replace(self.tag, self.tag + " (renamed)", 1), "utf-8")

        return _Restoring(rename, *tagged)

    def _has_tag(self, path: Path) -> bool:
        tags_line = path.read_text("utf-8").split("\n", 4)[3]
        return self.tag in tags_line.removeprefix("Tags: ").split(", ")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


# ---------------------------------------------------------------- report


def spread(values: list[float], scale: float = 1.0, digits: int = 1) -> str:
    median = statistics.median(values) * scale
    low, high = min(values) * scale, max(values) * scale
    return f"{median:.{digits}f} [{low:.{digits}f}–{high:.{digits}f}]"


def print_table(ours: dict[str, list[Build]], anchor: dict[str, list[Build]]) -> None:
    header = [
        "row",
        "Bulletin s",
        "Pelican s",
        "ratio",
        "CPU s: ours / Pelican",
        "CPU ratio",
        "peak memory MB: ours / Pelican",
        "written files, MB: ours / Pelican",
    ]
    lines = [header]
    for key, label in ROWS.items():
        mine, theirs = ours[key], anchor.get(key, [])
        lines.append(
            [
                label,
                spread([b.seconds for b in mine]),
                spread([b.seconds for b in theirs]) if theirs else "—",
                _ratio(mine, theirs, "seconds"),
                f"{_median(mine, 'cpu'):.1f} / "
                + (f"{_median(theirs, 'cpu'):.1f}" if theirs else "—"),
                _ratio(mine, theirs, "cpu"),
                f"{_peak(mine)} / {_peak(theirs) if theirs else '—'}",
                f"{_written(mine)} / {_written(theirs) if theirs else '—'}",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for number, line in enumerate(lines):
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("| " + " | ".join(cells) + " |")
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def _median(builds: list[Build], field: str) -> float:
    return statistics.median(getattr(b, field) for b in builds)


def _ratio(mine: list[Build], theirs: list[Build], field: str) -> str:
    return f"{_median(mine, field) / _median(theirs, field):.2f}×" if theirs else "—"


def _peak(builds: list[Build]) -> str:
    return f"{max(b.peak_memory for b in builds) / 2**20:.0f}"


def _written(builds: list[Build]) -> str:
    files = statistics.median(b.files_written for b in builds)
    megabytes = statistics.median(b.bytes_written for b in builds) / 2**20
    return f"{files:.0f}, {megabytes:.1f}"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tagging_throughput(unique: list) -> tuple[float, float]:
    """Seeds tagged per second on all cores and on one (on up to 1,000 seeds)."""
    texts = [seed.text for seed in unique]
    tag_text(texts[0])  # load the tagger's data first
    start = time.perf_counter()
    tag_texts(texts, tag_many)
    parallel = len(texts) / (time.perf_counter() - start)
    sample = texts[:1000]
    start = time.perf_counter()
    tag_texts(sample, tag_many, workers=1)
    return parallel, len(sample) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10_000, help="number of seeds (N)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each row (default 3)")
    parser.add_argument(
        "--anchor-repeat", type=int, help="runs of each plain-Pelican row (default: --repeat)"
    )
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--no-anchor", action="store_true", help="skip plain Pelican")
    parser.add_argument("--no-throughput", action="store_true", help="skip timing the tagger alone")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    anchor_repeat = args.repeat if args.anchor_repeat is None else args.anchor_repeat

    work = Path(tempfile.mkdtemp(prefix="bulletin-bench-"))
    try:
        started, load_before = time.time(), load()
        seeds = work / "seeds"
        source = make_seeds(seeds, args.seeds + 1, args.corpora)
        # The last seed is held back: the one added in the "add" row.
        extra = work / "extra" / sorted(seeds.iterdir())[-1].name
        extra.parent.mkdir()
        (seeds / extra.name).rename(extra)
        unique = distinct_seeds(seeds)
        edit = Path(unique[len(unique) // 2].path)

        throughput = None if args.no_throughput else tagging_throughput(unique)
        ours = Bulletin(work / "bulletin", seeds, extra, edit)
        sites = [(ours, args.repeat)]
        if not args.no_anchor:
            articles = markdown_articles(unique, work / "pelican" / "content")
            sites.append(
                (
                    PlainPelican(work / "pelican", articles, extra, edit, _common_tag(articles)),
                    anchor_repeat,
                )
            )
        results = {site.name: {key: [] for key in ROWS} for site, _ in sites}
        for run in range(max(repeat for _, repeat in sites)):
            for site, repeat in sites:
                if run < repeat:
                    site.measure(results[site.name])
        ours.build()
        files = _snapshot(ours.output)

        print(
            f"\nBulletin vs plain Pelican 4.12: {args.seeds:,} seeds ({source}), {len(unique):,} distinct;"
            f" {args.repeat} runs of ours, {anchor_repeat if not args.no_anchor else 0} of Pelican;"
            f" wall seconds as median [min–max]; ratio = our median ÷ Pelican's; CPU and"
            f" written files as medians, peak memory (PSS of the process tree) the highest."
        )
        print_table(results["Bulletin"], results.get("Pelican", {}))
        mine = results["Bulletin"]
        print(
            f"\nAdd one seed ÷ our cold build: {_ratio(mine['add'], mine['cold'], 'seconds')}"
            f" wall, {_ratio(mine['add'], mine['cold'], 'cpu')} CPU."
            f" Our output: {len(files):,} files, {sum(s for _, s, _ in files.values()) / 2**20:.0f} MB."
            + (
                f"\nTagging alone: {throughput[0]:,.0f} seeds/s as the build tags them (a pool"
                f" over {os.cpu_count()} cores when it pays off), {throughput[1]:,.0f} seeds/s"
                " on one core."
                if throughput
                else ""
            )
            + f"\n{os.cpu_count()} cores; load average {load_before} before,"
            f" {load()} after; {time.time() - started:.0f} s in all."
        )
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _common_tag(articles: dict[str, str]) -> str:
    """The most used organisation tag: the entity the anchor renames."""
    counts: dict[str, int] = {}
    names = set(organisations().values())
    org_names = {entity.name for entity in names}
    for path in articles.values():
        tags = Path(path).read_text("utf-8").split("\n", 4)[3].removeprefix("Tags: ").split(", ")
        for tag in tags:
            if tag in org_names:
                counts[tag] = counts.get(tag, 0) + 1
    return max(sorted(counts), key=counts.get) if counts else ""


if __name__ == "__main__":
    main()
