"""What entity pages and bundle pages share: a URL, posts and feeds."""

from .settings import save_as


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
