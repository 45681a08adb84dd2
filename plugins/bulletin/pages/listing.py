"""Listings of posts (the home page, an entity's or bundle's page, a month's
archive), paginated so that a new post changes few pages.

The scheme: a listing of posts (newest first), size posts to a page.
- Its front page, at the listing's URL, shows the newest `size` posts.
- The posts beyond the front are on numbered pages, counted from the oldest:
  `<url>page/1/` holds the oldest `size` posts, `page/2/` the next, and so on;
  the newest numbered page holds what is left (1 to `size` posts). Each page
  lists its posts newest first, links the next newer page (the newest numbered
  page links the front) and the next older one.
A post newer than the others changes the front page and the newest numbered
page (and, when that page was full, the one before it gets a newer neighbour);
every older page keeps its posts, its links and its bytes. A post dated before
others shifts the pages from its place on. Page numbers are not the pages'
distance from the front, and no page shows how many pages there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..settings import save_as

PAGE_URL = "{url}page/{number}/"


class Listing:
    """A page listing posts newest first (needs url, articles and feed_links)."""

    @property
    def save_as(self) -> str:
        return save_as(self.url)

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def feeds(self) -> list[tuple[str, str, str]]:
        """(label, media type, URL) of each feed of this page."""
        return list(self.feed_links)


@dataclass(eq=False)
class ListingPage:
    """One page of a listing, with what the theme reads of Pelican's paginated pages."""

    number: int  # 0 for the front page, else counted from the oldest page (1)
    object_list: list  # its posts, newest first
    url: str
    save_as: str
    newer: ListingPage | None = field(default=None, repr=False)
    older: ListingPage | None = field(default=None, repr=False)

    @property
    def front(self) -> bool:
        return self.number == 0

    def has_previous(self) -> bool:  # Pelican's names: previous is newer
        return self.newer is not None

    def has_next(self) -> bool:
        return self.older is not None

    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def listing_pages(articles: list, url: str, size: int) -> list[ListingPage]:
    """The pages of a listing of articles (newest first) at url: the front page
    first, then the numbered pages, newest first."""
    front = ListingPage(0, articles[:size], url, save_as(url) if url else "index.html")
    oldest_first = articles[size:][::-1]
    numbered = []
    for start in range(0, len(oldest_first), size):
        number = start // size + 1
        page_url = PAGE_URL.format(url=url, number=number)
        posts = oldest_first[start : start + size][::-1]
        numbered.append(ListingPage(number, posts, page_url, save_as(page_url)))
    pages = [front, *reversed(numbered)]
    for newer, older in zip(pages, pages[1:], strict=False):
        newer.older, older.newer = older, newer
    return pages


def page_size(settings: dict, template: str) -> int:
    """Posts on a page of a listing written with template (PAGINATED_TEMPLATES)."""
    return settings["PAGINATED_TEMPLATES"].get(template) or settings["DEFAULT_PAGINATION"]


def write_listing(writer, template, context: dict, url: str, articles: list, size: int, **values):
    """Write every page of a listing with template; values go to the template with
    articles_page and its newer (articles_previous_page) and older
    (articles_next_page) neighbours."""
    for page in listing_pages(articles, url, size):
        writer.write_file(
            page.save_as,
            template,
            context,
            paginated={},
            url=page.url,
            articles_page=page,
            articles_previous_page=page.newer,
            articles_next_page=page.older,
            **values,
        )
