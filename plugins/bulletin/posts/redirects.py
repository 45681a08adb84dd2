"""Redirects from URLs that moved (urlmemory.py): a page at each old address, with
a meta refresh and a canonical link, and `_redirects`, the list static hosts read
(Netlify, Cloudflare Pages: one `old new 301` line each; feeds included)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from pelican.generators import Generator

from ..publish.parallel import owns
from ..publish.publish import put
from ..settings import save_as
from .urlmemory import redirects, remember_entities

REDIRECTS_FILE = "_redirects"


class RedirectsGenerator(Generator):
    """Runs after the entities generator: remembers entity pages, then writes the
    redirects of this build."""

    def generate_context(self):
        remember_entities(self.context["entity_pages"], self.context["articles"], self.settings)
        self.moved = redirects()

    def generate_output(self, writer):
        siteurl = self.settings["SITEURL"].rstrip("/")
        output = Path(self.output_path)
        for old, new in self.moved.items():
            if old.endswith("/") and owns(save_as(old)):
                put(output / save_as(old), redirect_page(f"{siteurl}/{new}").encode())
        if self.moved and owns(REDIRECTS_FILE):
            lines = "".join(f"/{old} /{new} 301\n" for old, new in self.moved.items())
            put(output / REDIRECTS_FILE, lines.encode())


def redirect_page(url: str) -> str:
    """A page sending readers (and search engines, by its canonical link) to url."""
    url = escape(url)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        '<meta name="robots" content="noindex">\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{url}">{url}</a>.</p>\n</body>\n</html>\n'
    )
