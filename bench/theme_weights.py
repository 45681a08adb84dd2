"""Page weights of the theme on a built site: prints figures, asserts nothing.

    python bench/theme_weights.py SEEDS_FOLDER

Builds the seeds into a temporary folder (with the project's settings) and prints
the CSS and script sizes, post page sizes without the post text (HTML plus CSS,
the budget is 50 KB), the search index size (raw and gzipped, per post), the
largest HTML page, and the build time.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent


def build(seeds: Path, folder: Path) -> tuple[Path, float]:
    output = folder / "output"
    settings = read_settings(
        str(ROOT / "pelican.conf.py"),
        override={
            "SEEDS_PATH": str(seeds),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(folder / "cache"),
            "URL_MEMORY": str(folder / "urls.tsv"),  # not the repository's content/urls.tsv
            "SITEURL": "https://bulletin.example",
        },
    )
    start = time.perf_counter()
    Pelican(settings).run()
    return output, time.perf_counter() - start


def without_text(path: Path) -> int:
    """Bytes of a post page less its text (the div.text element)."""
    raw = path.read_bytes()
    text = lxml.html.fromstring(raw).find(".//div[@class='text']")
    return len(raw) - len(lxml.html.tostring(text, encoding="utf-8"))


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def main() -> None:
    seeds = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        output, seconds = build(seeds, Path(tmp))
        css = len((output / "theme/css/bulletin.css").read_bytes())
        js = len((output / "theme/js/search.js").read_bytes())
        posts = sorted(output.glob("[0-9]*/[0-9]*/[0-9]*/*/index.html"))
        bare = [without_text(p) for p in posts]
        index = (output / "search.json").read_bytes()
        pages = list(output.rglob("*.html"))
        largest = max(pages, key=lambda p: p.stat().st_size)
        print(f"seeds: {seeds}  posts: {len(posts)}  HTML pages: {len(pages)}")
        print(f"build: {seconds:.1f} s")
        print(
            f"CSS: {kb(css)} ({kb(len(gzip.compress((output / 'theme/css/bulletin.css').read_bytes())))} gzipped)  search.js: {kb(js)}"
        )
        if posts:
            print(
                f"post page without text, HTML: median {kb(statistics.median(bare))}, max {kb(max(bare))};"
                f" with CSS: max {kb(max(bare) + css)} (budget 50 KB)"
            )
            print(
                f"search.json: {kb(len(index))} raw, {kb(len(gzip.compress(index)))} gzipped,"
                f" {len(index) / len(posts):.0f} bytes a post"
            )
        print(f"largest page: {largest.relative_to(output)} {kb(largest.stat().st_size)}")


if __name__ == "__main__":
    main()
