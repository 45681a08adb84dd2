"""What any Pelican theme expects of an article: a category, tags, authors and a
summary, made from a seed and its entities so that the posts render in any theme.

Pelican writes no category, tag or author pages here (their *_SAVE_AS are empty:
entity pages replace them), so each of these links somewhere that exists:
- the category is DEFAULT_CATEGORY ("News" unless a site sets it), the category
  of every post: it links to the home page, which lists them all;
- each tag is an entity the post is tagged with and links to the entity's page;
  its slug is that page's path ("country-georgia", "person-georgia"), so two
  entities of different kinds with the same name stay two tags;
- the author is the first news agency (data/agencies.txt) the post names, linked
  to its organisation page when it has one, else the AUTHOR setting or the
  site's name; these link to the home page.
"""

from __future__ import annotations

import functools
import os
from html import escape
from pathlib import Path

from markupsafe import Markup
from pelican.contents import Article
from pelican.urlwrappers import Author, Category, Tag
from pelican.utils import posixize_path

from ..tagging import Tags

AGENCIES_FILE = Path(__file__).resolve().parent.parent / "data" / "agencies.txt"
# Some themes print `summary|striptags|safe` in an attribute (notmyidea's description),
# which undoes the escaping: the summary themes get has look-alikes for < > and ".
UNSTRIPPABLE = {"<": "‹", ">": "›", '"': "”"}


def unstrippable(text: str) -> str:
    """The text with look-alikes for the UNSTRIPPABLE characters (str.replace: a
    tenth of the time of str.translate)."""
    for character, look_alike in UNSTRIPPABLE.items():
        text = text.replace(character, look_alike)
    return text


class Post(Article):
    """A Pelican article whose HTML, its content and summary, is marked safe: the
    site's templates escape what they print (JINJA_ENVIRONMENT autoescape: seed
    text is untrusted, so titles and names are escaped) and themes print
    `{{ article.content }}` without `|safe`.

    Its HTML is made from its seed's paragraphs when read (for its page, its feed
    items, the search index), not held by every post of the build: a rebuild
    reads it for the few posts whose pages or feeds are rendered."""

    @property
    def _content(self) -> str:
        """Pelican's source HTML (what get_content reads)."""
        view = self.__dict__.get("view")
        return self.__dict__.get("_html", "") if view is None else seed_html(view.seed)

    @_content.setter
    def _content(self, value: str) -> None:
        if value:
            self.__dict__["_html"] = value

    @property
    def content(self) -> Markup:
        return Markup(self.get_content(self.get_siteurl()))

    @property
    def summary(self) -> Markup:
        return Markup(self.get_summary(self.get_siteurl()))

    @summary.setter
    def summary(self, value) -> None:
        Article.summary.fset(self, value)

    @property
    def url(self) -> str:
        """Pelican's: the override (the URL memory's, urlmemory.py) if set, else from
        the settings; read directly, as the property is read some 200,000 times a
        build at 10,000 posts."""
        try:
            return self.override_url
        except AttributeError:
            return self.get_url_setting("url")

    def get_relative_source_path(self, source_path: str | None = None) -> str | None:
        """Pelican's, with the relative path of the file's folder worked out once
        per folder (os.path.relpath per post cost a fifth of making the posts)."""
        path = source_path or self.source_path
        folder, name = os.path.split(path) if path else ("", "")
        if name in ("", ".", ".."):
            return super().get_relative_source_path(source_path)
        content = self.settings["PATH"]
        relative = _ABSOLUTE_FOLDERS.get((content, folder))
        if relative is None:
            # The working folder matters only to a relative path (a system call a post).
            cwd = "" if os.path.isabs(content) and os.path.isabs(folder) else os.getcwd()
            relative = _relative_folder(content, folder, cwd)
            if not cwd:
                _ABSOLUTE_FOLDERS[content, folder] = relative
        return name if relative == "." else f"{relative}/{name}"


def seed_html(seed) -> str:
    """A seed's text as HTML: one paragraph element a paragraph, text escaped."""
    return "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in seed.paragraphs)


# (content folder, a seed's folder) → _relative_folder, both absolute: no working folder
_ABSOLUTE_FOLDERS: dict[tuple[str, str], str] = {}


@functools.lru_cache(maxsize=64)
def _relative_folder(content: str, folder: str, cwd: str) -> str:
    """The folder's path relative to the content folder, as Pelican gives it.
    cwd, the working folder os.path.abspath takes a relative path from, only
    keys the cache ("" when both paths are absolute: it does not matter)."""
    relative = os.path.relpath(
        os.path.abspath(os.path.join(content, folder)), os.path.abspath(content)
    )
    return posixize_path(relative)


class _Linked:
    """A Pelican URL wrapper whose page is given, not made from *_URL settings."""

    def __init__(self, name: str, url: str, settings: dict):
        super().__init__(name, settings)
        self._url = url

    @property
    def url(self) -> str:
        return self._url

    @url.setter
    def url(self, url: str) -> None:
        self._url = url

    @property
    def save_as(self) -> str:
        return ""  # the page it links to is written by the plugin or Pelican

    @property
    def page_name(self) -> str:
        return self._url


class HomeCategory(_Linked, Category):
    """DEFAULT_CATEGORY: every post's category; its page is the home page."""


class EntityTag(_Linked, Tag):
    """A tag made from an entity; its page is the entity's page."""

    def __init__(self, name: str, kind: str, url: str, settings: dict):
        super().__init__(name, url, settings)
        self.kind = kind
        self.slug = url.strip("/").replace("/", "-")  # "country-georgia"


class CreditedAuthor(_Linked, Author):
    """The author of a post: a news agency, or the site's desk."""


class ArticleFields:
    """Makes the category, tags, authors and summary of each post of a build;
    one object per category, entity and author, shared by the posts."""

    def __init__(self, settings: dict):
        self.settings = settings
        self.category = HomeCategory(settings["DEFAULT_CATEGORY"], "", settings)
        desk = settings.get("AUTHOR") or settings["SITENAME"]
        self.desk = CreditedAuthor(desk, "", settings)
        self.agencies = read_agencies(AGENCIES_FILE)
        self._tags: dict[str, EntityTag] = {}
        self._by_slug: dict[tuple[str, str], EntityTag] = {}
        self._agencies: dict[str, CreditedAuthor] = {}

    def metadata(self, tags: Tags, lead: str) -> dict:
        """Pelican metadata of a post with these tags and this lead (its summary)."""
        entity_tags = [
            self._tag(kind, tag.entity) for kind, found in tags.by_kind() for tag in found
        ]
        author = self._author(tags)
        return {
            "category": self.category,
            "tags": entity_tags,
            "author": author,
            "authors": [author],
            "summary": escape(unstrippable(lead), quote=False),
        }

    def _tag(self, kind: str, entity) -> EntityTag:
        found = self._by_slug.get((kind, entity.slug))
        if found is None:
            url = self.settings["ENTITY_URLS"][kind].format(slug=entity.slug)
            if url not in self._tags:
                self._tags[url] = EntityTag(entity.name, kind, url, self.settings)
            found = self._by_slug[kind, entity.slug] = self._tags[url]
        return found

    def _author(self, tags: Tags) -> CreditedAuthor:
        named = [tag.entity for tag in (*tags.organisations, *tags.mentioned)]
        for entity in named:
            if entity.kind == "organisations" and entity.name.casefold() in self.agencies:
                url = self.settings["ENTITY_URLS"]["organisations"].format(slug=entity.slug)
                if url not in self._agencies:
                    self._agencies[url] = CreditedAuthor(entity.name, url, self.settings)
                return self._agencies[url]
        return self.desk


def name_tags(articles: list, entity_pages: dict) -> None:
    """Once every post is tagged, give each entity tag and agency its entity page's
    name (the name most posts use); an agency with no page links to the home page."""
    names = {page.url: page.name for pages in entity_pages.values() for page in pages}
    for article in articles:
        for wrapper in (*article.tags, *article.authors):
            if wrapper.url in names:
                wrapper.name = names[wrapper.url]
            elif isinstance(wrapper, CreditedAuthor):
                wrapper.url = ""


def read_agencies(path: Path) -> frozenset[str]:
    """Names of news agencies, casefolded (one a line; # starts a comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.split("#")[0].strip().casefold() for line in lines if line.split("#")[0].strip()
    )
