"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the standard library."""

from __future__ import annotations

import json

from .items import Item

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"
ITEM_INDENT = "\n    "  # an item's lines inside the document's "items" list


class JsonFeedWriter:
    """Renders channels; each item is serialised once, however many feeds carry it."""

    def __init__(self):
        self._items: dict[str, str] = {}

    def render(self, channel, items: list[Item]) -> bytes:
        """The JSON Feed document of a channel, items newest first: the same text as
        json.dumps(feed, ensure_ascii=False, indent=2) with the items in the feed."""
        feed = {
            "version": VERSION,
            "title": channel.title,
            "home_page_url": channel.page_url,
            "feed_url": channel.urls["json"],
            "description": channel.description,
            "language": channel.language,
            "authors": [{"name": channel.author}],
        }
        if older := channel.history.older("json"):  # the next older archive (archives.py)
            feed["next_url"] = older
        feed["items"] = []
        document = json.dumps(feed, ensure_ascii=False, indent=2)
        if items:
            listed = f",{ITEM_INDENT}".join(self._item(item) for item in items)
            document = document.removesuffix("[]\n}") + f"[{ITEM_INDENT}{listed}\n  ]\n}}"
        return (document + "\n").encode()

    def _item(self, item: Item) -> str:
        text = self._items.get(item.url)
        if text is None:
            data = json.dumps(_item(item), ensure_ascii=False, indent=2)
            text = self._items[item.url] = data.replace("\n", ITEM_INDENT)  # JSON escapes "\n"
        return text


def _item(item: Item) -> dict:
    data = {"id": item.id, "url": item.url, "title": item.title}
    if item.content:
        data["content_html"] = item.content
    else:
        data["content_text"] = item.summary
    data["summary"] = item.summary
    data["date_published"] = item.date.isoformat()
    data["tags"] = [name for name, _ in item.tags]
    return data
