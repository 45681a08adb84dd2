"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) with the standard library."""

from __future__ import annotations

import json

from .items import Item

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"


def render(channel, items: list[Item]) -> bytes:
    """The JSON Feed document of a channel, items newest first."""
    feed = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": channel.page_url,
        "feed_url": channel.urls["json"],
        "description": channel.description,
        "language": channel.language,
        "authors": [{"name": channel.author}],
        "items": [_item(item) for item in items],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode()


def _item(item: Item) -> dict:
    data = {"id": item.url, "url": item.url, "title": item.title}
    if item.content:
        data["content_html"] = item.content
    else:
        data["content_text"] = item.summary
    data["summary"] = item.summary
    data["date_published"] = item.date.isoformat()
    data["tags"] = [name for name, _ in item.tags]
    return data
