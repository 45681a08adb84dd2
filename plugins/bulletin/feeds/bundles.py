"""Bundles: a page and feeds combining several entities, from FEED_BUNDLES.

    FEED_BUNDLES = {"central-asia": {"title": "Central Asia",
                                     "countries": ["KZ", "KG", "TJ", "TM", "UZ"]}}

Countries are named by ISO code, slug or name; organisations and people by slug or name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pycountry

from ..pages.listing import Listing
from ..slugs import make_slug
from . import entity_links

logger = logging.getLogger(__name__)
MEMBER_KINDS = ("countries", "organisations", "people")


class BundleError(ValueError):
    """A bundle definition that cannot be used, with the reason."""


@dataclass
class Bundle(Listing):
    """The posts of any of its members, newest first; shaped like an entity page."""

    slug: str
    url: str
    name: str
    members: tuple  # EntityPages
    articles: list
    feed_links: tuple
    kind: str = "bundles"
    code: str = ""


def make_bundles(settings: dict, entity_pages: dict, articles: list) -> list[Bundle]:
    """Every bundle of FEED_BUNDLES that has posts; the others are logged."""
    lookup = {kind: _names(kind, entity_pages.get(kind, ())) for kind in MEMBER_KINDS}
    order = {id(article): i for i, article in enumerate(articles)}
    bundles = []
    for key, spec in settings["FEED_BUNDLES"].items():
        try:
            bundle = _bundle(key, spec, lookup, order, settings)
        except BundleError as error:
            logger.error("FEED_BUNDLES[%r] skipped: %s", key, error)
            continue
        if any(bundle.slug == other.slug for other in bundles):
            logger.error("FEED_BUNDLES[%r] skipped: its URL %s is taken", key, bundle.url)
        elif bundle.articles:
            bundles.append(bundle)
        else:
            logger.warning("FEED_BUNDLES[%r]: no posts yet, so no page and no feeds", key)
    return bundles


def _names(kind: str, pages) -> dict:
    names = {}
    for page in pages:
        names.update({page.slug: page, page.name.casefold(): page})
        if kind == "countries" and page.code:
            names[page.code.casefold()] = page
    return names


def _bundle(key, spec, lookup: dict, order: dict, settings: dict) -> Bundle:
    slug = make_slug(str(key))
    if not slug:
        raise BundleError("the key gives no usable slug")
    if not isinstance(spec, dict):
        raise BundleError("expected a dict such as {'countries': ['KZ', 'UZ']}")
    unknown = set(spec) - {"title", *MEMBER_KINDS}
    if unknown:
        raise BundleError(f"unknown keys {sorted(unknown)}; use title, {', '.join(MEMBER_KINDS)}")
    members = []
    for kind in MEMBER_KINDS:
        values = spec.get(kind, [])
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            raise BundleError(f"{kind} must be a list of names")
        members += _members(key, kind, values, lookup[kind])
    articles = {id(article): article for page in members for article in page.articles}
    url = settings["BUNDLE_URL"].format(slug=slug)
    return Bundle(
        slug=slug,
        url=url,
        name=str(spec.get("title") or str(key).replace("-", " ").title()),
        members=tuple(members),
        articles=sorted(articles.values(), key=lambda article: order[id(article)]),
        feed_links=entity_links(url, settings),
    )


def _members(key, kind: str, values, names: dict) -> list:
    found = []
    for value in values:
        page = names.get(value.casefold()) or names.get(make_slug(value))
        if page is not None:
            if all(page is not other for other in found):
                found.append(page)
        elif not (kind == "countries" and pycountry.countries.get(alpha_2=value)):
            logger.warning("FEED_BUNDLES[%r]: no post is tagged with %s %r", key, kind, value)
    return found
