"""Full-text search at scale (plugins/bulletin/pages/fulltext.py): prints figures, asserts nothing.

    python bench/search.py --posts 10000 --corpora ../shared/corpora

Indexes POSTS posts with Pagefind, as a publishing build does, and reports the index
size on disk, the indexing time and the size of the filter index; then loads the
search page in headless Chromium with a cold cache and reports, per query, the bytes
the browser fetched from pagefind/ (Pagefind's JS, WebAssembly, index chunks, filter
index and fragments; not the page, its CSS or script) and the time from navigation
to the first results shown (search.js says how many it found once they are). Target: at most 300 KB for a one-word query.

The texts are real (Reuters-21578 and the Central Asian news in CORPORA, repeated
with new URLs when POSTS is larger); the entities are drawn at random, with a fixed
seed, from real country names and from ORGS organisations and PEOPLE people, on a
Zipf-like curve, so that the filter index has thousands of values as a large
bulletin's does without tagging 10,000 texts first. The search page is the one of a
small real build (the test fixtures), given this index.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import tempfile
import threading
import time
from datetime import date
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pycountry
from pelican import Pelican
from pelican.settings import read_settings

from bulletin.pages.fulltext import write_index
from bulletin.seeds.seeds import make_title, split_paragraphs
from bulletin.slugs import make_slug

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["q=water", "q=oil", "q=water&country=kazakhstan", "q=president&sort=date"]


def texts(corpora: Path):
    """(date, paragraphs) of every text of the two corpora."""
    for name in ("kz-news-unlabelled.jsonl.gz", "reuters21578-train.jsonl.gz"):
        with gzip.open(corpora / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                paragraphs = split_paragraphs(record.get("body") or "")
                if paragraphs and record.get("date"):
                    yield date.fromisoformat(record["date"][:10]), paragraphs


def page(kind: str, name: str):
    slug = make_slug(name)
    return SimpleNamespace(name=name, slug=slug, url=f"{kind}/{slug}/")


def posts(corpora: Path, count: int, orgs: int, people: int) -> list:
    """count articles as fulltext.py reads them, with entities drawn at random."""
    rng = random.Random(16)
    countries = [page("country", c.name) for c in pycountry.countries]
    countries.sort(key=lambda p: p.slug != "kazakhstan")  # the most common, as here
    organisations = [page("organisation", f"Organisation number {i}") for i in range(orgs)]
    persons = [page("person", f"Person Number {i}") for i in range(people)]

    def draw(pages, most):
        weights = [1 / (rank + 1) for rank in range(len(pages))]
        return list(
            {p.slug: p for p in rng.choices(pages, weights, k=rng.randint(0, most))}.values()
        )

    source, articles = list(texts(corpora)), []
    for i in range(count):
        day, paragraphs = source[i % len(source)]
        tagged = {
            "countries": draw(countries, 3) or [countries[0]],
            "organisations": draw(organisations, 4),
            "people": draw(persons, 4),
        }
        articles.append(
            SimpleNamespace(
                url=f"{day:%Y/%m/%d}/post-{i}/",
                title=make_title(paragraphs[0]),
                date=SimpleNamespace(date=lambda day=day: day),
                content="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
                view=SimpleNamespace(
                    tagged={k: [(None, p) for p in v] for k, v in tagged.items()},
                    seed=SimpleNamespace(digest=str(i)),
                ),
            )
        )
    return articles


def size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def search_page(folder: Path, base: str) -> Path:
    """A small real build with the full-text search page (the test fixtures)."""
    output = folder / "site"
    settings = read_settings(
        str(ROOT / "pelican.conf.py"),
        override={
            "SEEDS_PATH": str(ROOT / "tests" / "fixtures" / "seeds"),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(folder / "cache"),
            "SITEURL": base,
            "SEARCH_FULL_TEXT": True,
        },
    )
    Pelican(settings).run()
    return output.resolve()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def browse(site: Path, base: str, queries: list[str]) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        for query in queries:
            context = chromium.new_context()  # a cold cache
            tab = context.new_page()
            fetched = {}
            tab.on("console", lambda m: m.type == "error" and print("console:", m.text))
            tab.on("pageerror", lambda e: print("page error:", e))
            # bytes: the files' sizes (the server sends them as they are, uncompressed;
            # Pagefind's index files are gzipped already), so a worker's fetch counts too
            tab.on("requestfinished", lambda r, f=fetched: f.__setitem__(r.url, None))
            tab.goto(f"{base}/search/?{query}")
            # the status says "found" once the first results are shown (or there are none)
            tab.wait_for_function(
                "() => document.getElementById('search-status').textContent.includes('found')",
                timeout=180000,
            )
            first = tab.evaluate("performance.now()")
            status = tab.locator("#search-status").inner_text()
            tab.wait_for_load_state("networkidle")
            pagefind = {
                u: (site / "pagefind" / u.split("/pagefind/", 1)[1].split("?")[0]).stat().st_size
                for u in fetched
                if "/pagefind/" in u
            }
            kinds = {}  # index/, fragment/, filter/ or the file's name
            for url, n in pagefind.items():
                kind = url.split("/pagefind/", 1)[1].split("?")[0].split("/", 1)[0]
                kinds[kind] = kinds.get(kind, 0) + n
            rows.append((query, status, sum(pagefind.values()), len(pagefind), first, kinds))
            context.close()
        chromium.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--orgs", type=int, default=4000)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--folder", type=Path, help="for the temporary files (default: /tmp)")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    articles = posts(args.corpora, args.posts, args.orgs, args.people)
    facets = {
        kind: len({p.slug for a in articles for _, p in a.view.tagged[kind]})
        for kind in ("countries", "organisations", "people")
    }
    with tempfile.TemporaryDirectory(prefix="bench-search-", dir=args.folder) as tmp:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        site = search_page(Path(tmp), base)
        shutil.rmtree(site / "pagefind")
        start = time.perf_counter()
        write_index(articles, site / "pagefind")
        seconds = time.perf_counter() - start
        total, files = size(site / "pagefind")
        filters, filter_files = size(site / "pagefind" / "filter")
        fragments, fragment_files = size(site / "pagefind" / "fragment")
        print(f"posts indexed: {len(articles)}; distinct filter values: {facets}")
        print(f"indexing time: {seconds:.1f} s (machine shared with other builds)")
        print(f"index on disk: {total / 2**20:.1f} MiB in {files} files")
        print(f"  fragments:   {fragments / 2**20:.1f} MiB in {fragment_files} files")
        print(f"  filter index: {filters / 2**10:.0f} KiB in {filter_files} files")
        server.RequestHandlerClass = partial(_Quiet, directory=str(site))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            print("query | status | bytes from pagefind/ (requests) | first result | by kind")
            for query, status, n, requests, first, kinds in browse(site, base, QUERIES):
                parts = ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(kinds.items()))
                print(
                    f"{query} | {status} | {n / 1024:.0f} KiB ({requests}) | {first:.0f} ms"
                    f" | {parts}"
                )
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
