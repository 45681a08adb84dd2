"""Pelican computes a content's url and save_as from the settings on every
access (a page's URL once per rendered page, for the menu); fix them once known,
through Pelican's own override_url and override_save_as."""

from __future__ import annotations

PAGE_LISTS = (
    "pages",
    "hidden_pages",
    "draft_pages",
    "translations",
    "hidden_translations",
    "draft_translations",
)


def freeze(content) -> None:
    content.override_url, content.override_save_as = content.url, content.save_as


def freeze_pages(generator) -> None:
    """On page_generator_finalized: every page and translation of the generator."""
    for name in PAGE_LISTS:
        for page in getattr(generator, name, ()):
            freeze(page)
