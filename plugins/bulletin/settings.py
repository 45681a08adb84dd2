"""The plugin's settings and their defaults; pelican.conf.py may override any."""

from __future__ import annotations

from pathlib import Path

DEFAULTS = {
    "SEEDS_PATH": "seeds",
    # Editorial overrides of the tagger (aliases, merges, renames, blocks).
    "ENTITIES_FILE": "entities.yml",  # relative to PATH (content/)
    # Where each post and entity page was published (urlmemory.py); pelican.conf.py
    # sets content/urls.tsv. Relative paths are taken from the current folder.
    "URL_MEMORY": "urls.tsv",
    # Tags cached under CACHE_PATH by seed digest and tagger version (tagcache.py),
    # and tagged on TAG_WORKERS processes (0: all cores).
    "TAG_CACHE": True,
    "TAG_WORKERS": 0,
    # Pages and feeds written by OUTPUT_WORKERS processes (0: one per core) on sites
    # of at least PARALLEL_MIN_ARTICLES posts (parallel.py).
    "OUTPUT_WORKERS": 0,
    "PARALLEL_MIN_ARTICLES": 200,
    # A build with nothing changed since the last one builds nothing (uptodate.py);
    # True (or BULLETIN_FULL_BUILD=1 in the environment) builds in any case.
    "FULL_BUILD": False,
    # Seconds a build waits for another build of the same output to end (lock.py).
    "OUTPUT_LOCK_WAIT": 600,
    "ENTITY_URLS": {
        "countries": "country/{slug}/",
        "organisations": "organisation/{slug}/",
        "people": "person/{slug}/",
    },
    "ENTITY_INDEX_URLS": {
        "countries": "countries/",
        "organisations": "organisations/",
        "people": "people/",
    },
    # Feeds: RSS, Atom and JSON Feed for the site and for each entity of these kinds
    # (drop "people" to give people no feeds); entity feeds sit under the entity's URL.
    "ENTITY_FEED_KINDS": ("countries", "organisations", "people"),
    "SITE_FEED_RSS": "rss.xml",
    "SITE_FEED_ATOM": "atom.xml",
    "SITE_FEED_JSON": "feed.json",
    "ENTITY_FEED_RSS": "rss.xml",
    "ENTITY_FEED_ATOM": "atom.xml",
    "ENTITY_FEED_JSON": "feed.json",
    "FEED_FULL_CONTENT": True,
    # Older items of a feed over FEED_MAX_ITEMS in RFC 5005 archives (feeds/archives.py).
    "FEED_ARCHIVES": True,  # the whole text in each item, not only the summary
    "FEEDS_URL": "feeds/",  # the page listing every feed
    "FEEDS_OPML": "feeds/{kind}.opml",  # kind: all, bundles, countries, organisations, people
    # Combined feeds and pages, e.g. {"central-asia": {"title": "Central Asia",
    # "countries": ["KZ", "KG", "TJ", "TM", "UZ"]}}; see feeds/bundles.py.
    "FEED_BUNDLES": {},
    "BUNDLE_URL": "bundle/{slug}/",
}


def apply_defaults(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings.setdefault("JINJA_FILTERS", {})["flag"] = flag


def flag(code: str) -> str:
    """The flag emoji of an ISO 3166-1 alpha-2 code ("" for anything else)."""
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code.upper())


def seeds_path(settings: dict) -> Path:
    """SEEDS_PATH as an absolute path (relative values are taken from the cwd)."""
    return Path(settings["SEEDS_PATH"]).expanduser().resolve()


def memory_path(settings: dict) -> Path:
    """URL_MEMORY as an absolute path (relative values are taken from the cwd)."""
    return Path(settings["URL_MEMORY"]).expanduser().resolve()


def save_as(url: str) -> str:
    """The file behind a directory-style URL."""
    return url + "index.html" if url.endswith("/") else url
