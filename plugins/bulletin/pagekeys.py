"""Keys of what a page shows, so that a rebuild renders only pages whose inputs
changed (publish.render_once).

A key digests everything a post page or an entity page shows that can change
from one build to the next: the post, its tags and their pages' names, its
neighbours and related posts; an entity's name and every post it lists (so
its chart, co-occurring entities and pagination too). What every page shares
(the code, theme, settings, editorial file and content pages) is the site's
version: when it changes, every page is rendered again. The tests check that a
rebuild after any change gives the bytes of a build from scratch.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIBRARIES = ("pelican", "Jinja2", "MarkupSafe", "feedgen")


def site_version(settings: dict, context: dict) -> bytes:
    """A digest of what every page depends on."""
    digest = hashlib.blake2b(digest_size=16)
    theme = Path(settings["THEME"])
    editorial = Path(settings["PATH"], settings["ENTITIES_FILE"])
    for root in (HERE, theme):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and _source(p)):
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    digest.update(editorial.read_bytes() if editorial.is_file() else b"")
    libraries = [importlib.metadata.version(name) for name in LIBRARIES]
    pages = [(page.url, page.title) for page in context.get("pages", ())]
    digest.update(repr((libraries, _plain(settings), pages)).encode())
    return digest.digest()


def page_key(template_name: str, values: dict) -> bytes | None:
    """The key of a post page or an entity page written with these template
    values; None for other pages (always rendered)."""
    if template_name == "article.html" and "article" in values:
        return _digest(values.get("url"), _post(values["article"]))
    if "entity" in values:
        entity = values["entity"]
        members = [_page(member) for member in getattr(entity, "members", ())]
        cards = [_card(article) for article in entity.articles]
        return _digest(values.get("url"), _page(entity), entity.feed_links, members, cards)
    if "feed_groups" in values:
        groups = [
            (g.kind, g.label, g.opml_url, [(s.url, s.name, s.feeds) for s in g.subjects])
            for g in values["feed_groups"]
        ]
        return _digest(values.get("url"), values.get("opml_all"), groups)
    return None


def feed_key(channel, entries) -> bytes:
    """The key of an entity's feeds: their channel and items say it all."""
    return _digest(channel, entries)


def _post(article) -> tuple:
    """What a post page shows (its text by the seed's digest; its JSON-LD is
    made of the rest)."""
    return (
        _card(article),
        article.seed.digest,
        [(tag.count, tag.mentions) for tagged in article.tagged.values() for tag, _ in tagged],
        [(tag.entity.kind, tag.entity.name, page and page.url) for tag, page in article.mentioned],
        [_link(other) for other in article.related],
        _link(article.older),
        _link(article.newer),
    )


def _card(article) -> bytes:
    """A digest of what a post's card in a listing shows (kept on the article:
    entity pages list each post several times)."""
    card = getattr(article, "card_key", None)
    if card is None:
        chips = [(k, [_page(page) for _, page in tagged]) for k, tagged in article.tagged.items()]
        card = article.card_key = _digest(*_link(article), article.lead, chips)
    return card


def _link(article) -> tuple:
    return (article.url, article.title, article.date.isoformat()) if article else ()


def _page(page) -> tuple:
    return (page.kind, page.slug, page.url, page.name, page.code)


def _digest(*values) -> bytes:
    return hashlib.blake2b(repr(values).encode(), digest_size=16).digest()


def _source(path: Path) -> bool:
    return "__pycache__" not in path.parts and path.suffix != ".pyc"


def _plain(value):
    """Settings as plain data (functions and modules by type: their code is
    digested with the plugin's)."""
    if isinstance(value, dict):
        return sorted((str(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return type(value).__name__
