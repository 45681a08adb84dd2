"""Archive scale: what a rebuild costs as the archive grows (`make bench`).

    python bench/scale.py [--sizes 10000,100000] [--anchor 10000,20000] [--repeat 1]

For each size in --sizes, a Bulletin site of that many seeds is built from
scratch, then rebuilt with nothing changed, after adding one seed (newer than
the others, as a day's news is) and after editing one: wall and CPU seconds and
peak memory (PSS of the process tree, bench/run.py). For each size in --anchor,
our cold build is compared with plain Pelican's on the same articles in the
same run (bench/run.py's anchor). Seeds are Reuters-21578's (from --corpora,
with its make_seeds.py), then generated ones; the smaller sites take the first
seeds of the larger. Prints two tables, in Markdown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (  # noqa: E402  (bench/run.py, beside this file)
    ROOT,
    Build,
    Bulletin,
    PlainPelican,
    _common_tag,
    distinct_seeds,
    load,
    make_seeds,
    markdown_articles,
)

NEW_SEED = (
    " date {date} ASTANA. KAZINFORM – President Kassym-Jomart Tokayev met the Prime"
    " Minister of Kyrgyzstan in Astana on Thursday to discuss trade and water.\n\n"
    "The two leaders spoke about the Eurasian Economic Union and the Shanghai"
    " Cooperation Organisation.\n"
)
ROWS = ("cold", "warm", "add", "edit")


def sized_seeds(pool: list[Path], count: int, folder: Path) -> Path:
    """The first count seeds of the pool, as hard links in folder."""
    folder.mkdir(parents=True)
    for path in pool[:count]:
        os.link(path, folder / path.name)
    return folder


def measure(work: Path, seeds: Path, repeat: int) -> dict[str, list[Build]]:
    """Cold build, then rebuilds: nothing changed, one seed added, one edited."""
    extra = work / "extra" / "zz-new-seed.txt"
    extra.parent.mkdir(parents=True)
    extra.write_text(NEW_SEED.format(date=time.strftime("%Y-%m-%d")), "utf-8")
    unique = distinct_seeds(seeds)
    edit = Path(unique[len(unique) // 2].path)
    site = Bulletin(work / "bulletin", seeds, extra, edit)
    results = {row: [] for row in ROWS}
    for _ in range(repeat):
        site.clean()
        results["cold"].append(site.build())
        results["warm"].append(site.build())
        with site.added():
            results["add"].append(site.build())
        site.build()  # back to the archive without it
        with site.edited():
            results["edit"].append(site.build())
    return results


def anchor(work: Path, seeds: Path, repeat: int) -> list[Build]:
    """Plain Pelican's cold builds of the same articles."""
    unique = distinct_seeds(seeds)
    articles = markdown_articles(unique, work / "pelican" / "content")
    extra = Path(unique[-1].path)
    site = PlainPelican(work / "pelican", articles, extra, extra, _common_tag(articles))
    builds = []
    for _ in range(repeat):
        site.clean()
        builds.append(site.build())
    return builds


def seconds(builds: list[Build]) -> str:
    wall = statistics.median(b.seconds for b in builds)
    cpu = statistics.median(b.cpu for b in builds)
    return f"{wall:.1f} ({cpu:.1f})"


def megabytes(builds: list[Build]) -> str:
    return f"{max(b.peak_memory for b in builds) / 2**20:.0f}"


def print_tables(ours: dict[int, dict], theirs: dict[int, list[Build]]) -> None:
    print("\n| seeds | cold | nothing changed | add one seed | edit one seed "
          "| peak MB, rebuilds | peak MB, cold |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for size, rows in sorted(ours.items()):
        rebuilds = rows["warm"] + rows["add"] + rows["edit"]
        cells = [seconds(rows[row]) for row in ROWS]
        print(
            f"| {size:,} | {' | '.join(cells)} | {megabytes(rebuilds)} | {megabytes(rows['cold'])} |"
        )
    print("\nSeconds: wall (CPU, user + system, of the process tree), medians.")
    if theirs:
        print("\n| seeds | cold: Bulletin | cold: plain Pelican | ratio (wall) | ratio (CPU) |")
        print("|---|---|---|---|---|")
        for size, builds in sorted(theirs.items()):
            mine = ours[size]["cold"]
            wall = statistics.median(b.seconds for b in mine) / statistics.median(
                b.seconds for b in builds
            )
            cpu = statistics.median(b.cpu for b in mine) / statistics.median(b.cpu for b in builds)
            print(f"| {size:,} | {seconds(mine)} | {seconds(builds)} | {wall:.2f} | {cpu:.2f} |")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="site sizes (seeds), commas")
    parser.add_argument("--anchor", default="10000,20000", help="sizes to compare with Pelican")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each row (default 1)")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    anchored = [int(s) for s in args.anchor.split(",") if s]

    work = Path(tempfile.mkdtemp(prefix="bulletin-scale-"))
    try:
        started, load_before = time.time(), load()
        source = make_seeds(work / "pool", max(sizes + anchored), args.corpora)
        pool = sorted((work / "pool").iterdir())
        ours, theirs = {}, {}
        for size in sorted(set(sizes + anchored)):
            folder = work / str(size)
            seeds = sized_seeds(pool, size, folder / "seeds")
            ours[size] = measure(folder, seeds, args.repeat)
            if size in anchored:
                theirs[size] = anchor(folder, seeds, args.repeat)
            print(f"{size:,} seeds measured ({time.time() - started:.0f} s)", file=sys.stderr)
            shutil.rmtree(folder / "trash", ignore_errors=True)
        print(f"\nArchive scale: seeds from {source}; {os.cpu_count()} cores.")
        print_tables(ours, theirs)
        print(
            f"\nLoad average {load_before} before, {load()} after;"
            f" {time.time() - started:.0f} s in all."
        )
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
