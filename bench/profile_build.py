"""Where a cold build spends its time: cProfile over one `pelican` build.

    python bench/profile_build.py [--seeds 10000] [--corpora ../shared/corpora] [--top 25]

Prints the build's phases (cumulative time in the main process; tagging in
worker processes shows as the time the main process waits for them; pages and
feeds are written in one process, OUTPUT_WORKERS=1, so that the profile sees
them all), then the functions with the most time of their own.
"""

from __future__ import annotations

import argparse
import json
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from run import PELICAN, ROOT, SITEURL, make_seeds

# (label, file path ending, function): cumulative times; nested rows are indented.
PHASES = (
    ("whole build (Pelican.run)", "pelican/__init__.py", "run"),
    (
        "  seeds → articles (article_generator_pretaxonomy)",
        "bulletin/posts/posts.py",
        "add_seed_articles",
    ),
    ("    reading seeds", "bulletin/posts/posts.py", "_read_all"),
    ("    tag cache loaded (TagRun)", "bulletin/tags/tagcache.py", "__init__"),
    ("    tagging, or waiting for it (standby or pool)", "bulletin/tags/tagcache.py", "wait"),
    ("    making Article objects", "bulletin/posts/posts.py", "make_article"),
    ("  grouping by entity", "bulletin/posts/entities.py", "group_by_entity"),
    ("  theme data (related, stats, …)", "bulletin/posts/extras.py", "annotate"),
    ("  article pages", "pelican/generators.py", "generate_articles"),
    ("  index pages and archives", "pelican/generators.py", "generate_direct_templates"),
    ("  period archives (Pelican)", "pelican/generators.py", "generate_period_archives"),
    ("  entity pages, directories and feeds", "bulletin/posts/entities.py", "generate_output"),
    ("    feeds", "bulletin/feeds/__init__.py", "write_all"),
    ("  theme pages and files", "bulletin/pages/sitefiles.py", "generate_output"),
    ("after the build: the release linked and made live", "bulletin/publish/publish.py", "publish"),
    ("across phases: Jinja rendering", "jinja2/environment.py", "render"),
    ("across phases: Pelican writer (render + write)", "pelican/writers.py", "_write_file"),
    ("across phases: URL computation", "pelican/contents.py", "get_url_setting"),
    ("across phases: open()", "~", "<built-in method io.open>"),
    ("across phases: mkdir()", "~", "<built-in method posix.mkdir>"),
)


def phases(stats: pstats.Stats) -> list[tuple[str, float]]:
    rows = []
    for label, ending, function in PHASES:
        total = sum(
            value[3]
            for (path, _, name), value in stats.stats.items()
            if name == function and path.replace("\\", "/").endswith(ending)
        )
        if total:
            rows.append((label, total))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10_000)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bulletin-profile-"))
    try:
        source = make_seeds(work / "seeds", args.seeds, args.corpora)
        overrides = {
            "SEEDS_PATH": str(work / "seeds"),
            "OUTPUT_PATH": str(work / "output"),
            "CACHE_PATH": str(work / "cache"),
            "URL_MEMORY": str(work / "urls.tsv"),  # not the repository's content/urls.tsv
            "SITEURL": SITEURL,
            "OUTPUT_WORKERS": 1,
        }
        subprocess.run(
            [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(work / "profile"),
                str(PELICAN),
                "-q",
                "-s",
                str(ROOT / "pelican.conf.py"),
                "-e",
                *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
            ],
            check=True,
            cwd=work,
        )
        stats = pstats.Stats(str(work / "profile"))
        rows = phases(stats)
        whole = rows[0][1]
        print(f"\nCold build of {args.seeds:,} seeds ({source}) under cProfile: {whole:.1f} s")
        for label, seconds in rows:
            print(f"  {label:<52} {seconds:7.2f} s  {100 * seconds / whole:5.1f} %")
        print()
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
