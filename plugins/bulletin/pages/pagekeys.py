"""Keys of what a page shows, so that a rebuild renders only pages whose inputs
changed (publish.render_once).

A key digests everything a post page or a page of a listing shows that can
change from one build to the next: the post, its tags and their pages' names,
its neighbours and related posts; the posts a page of a listing shows, its
neighbours and, on a front page, what it says of all the listing's posts (an
entity's chart and co-occurring entities, the home page's most covered). What every page shares
(the code, theme, settings, editorial file and content pages) is the site's
version: when it changes, every page is rendered again. The tests check that a
rebuild after any change gives the bytes of a build from scratch.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import pickle
from pathlib import Path

from ..posts.extras import co_occurring
from ..posts.postview import entity_link, post_link
from . import settled
from .listing import ListingPage

HERE = Path(__file__).resolve().parent.parent  # the bulletin package
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
    """The key of a post page, a page of a listing (listing.py), a directory, a
    year's archive or the feeds page written with these template values; None for
    other pages (always rendered)."""
    if template_name == "article.html" and "article" in values:
        article = values["article"]
        return settled.key(article.save_as) or digest_of(values.get("url"), _post(article))
    if isinstance(page := values.get("articles_page"), ListingPage):
        return settled.key(page.save_as) or _listing_key(template_name, values)
    if "entities" in values and "kind" in values:  # a directory: names and counts
        entities = [(entity_link(page), page.count) for page in values["entities"]]
        return digest_of(
            template_name, values.get("url"), values["kind"], values.get("by_count"), entities
        )
    if "period" in values:  # a year: its months and their counts
        period = values["period"]
        months = [(m["url"], m["title"], len(m["articles"])) for m in period.get("months", ())]
        return digest_of(
            template_name, values.get("url"), period["title"], period.get("count"), months
        )
    if "feed_groups" in values:
        groups = [
            (g.kind, g.label, g.opml_url, [(s.url, s.name, s.feeds) for s in g.subjects])
            for g in values["feed_groups"]
        ]
        return digest_of(values.get("url"), values.get("opml_all"), groups)
    return None


def _listing_key(template_name: str, values: dict) -> bytes:
    """What a page of a listing shows: its posts' cards and its neighbours' URLs;
    of an entity, its name and feeds; of a month, its title. A front page also
    shows what it says of all the listing's posts: an entity's header, chart and
    co-occurring entities, a month's count, the home page's most covered."""
    page = values["articles_page"]
    shows = [
        template_name,
        values.get("url"),
        page.number,
        [_card(article) for article in page.object_list],
        page.newer and page.newer.url,
        page.older and page.older.url,
    ]
    if (entity := values.get("entity")) is not None:
        members = [entity_link(member) for member in getattr(entity, "members", ())]
        shows += [entity_link(entity), entity.feed_links, members]
        if page.front:
            # co-occurring entities are ranked by how common they are overall
            seen = [(entity_link(other), n) for other, n in co_occurring(entity)]
            shows += [[_card(article) for article in entity.articles], seen]
    if (period := values.get("period")) is not None:
        shows += [period["title"], period.get("year_url"), page.front and len(period["articles"])]
    if page.front and (trending := values.get("trending")):
        shows.append(
            [(kind, [(entity_link(p), n) for p, n in ranked]) for kind, ranked in trending.items()]
        )
    return digest_of(*shows)


def feed_key(channel, entries) -> bytes:
    """The key of an entity's feeds: their channel and items say it all."""
    return digest_of(channel, entries)


def _post(article) -> tuple:
    """What a post page shows: its card and the rest of its view (postview.py)."""
    return _card(article), article.view.page_data()


def _card(article) -> bytes:
    """A digest of what a post's card in a listing shows (kept on the post's view:
    entity pages list each post several times)."""
    view = article.view
    if view.card_key is None:
        view.card_key = digest_of(*post_link(article), view.card_data())
    return view.card_key


def digest_of(*values) -> bytes:
    """A digest of plain data (str, numbers, bytes, None, tuples, lists, dicts,
    dates, dataclasses of these): pickled without its memo, so that equal values
    give equal bytes whichever objects they share (the "fast" mode, long marked
    deprecated but kept; values here never refer to themselves). Pickling is
    several times quicker than repr, which this replaced."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(values)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).digest()


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
