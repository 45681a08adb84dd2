"""Bulletin: a Pelican plugin that turns plain-text seeds into tagged posts,
entity pages and feeds."""

import atexit
import gc

from pelican import signals

from .pages.fulltext import finish as finish_search
from .pages.fulltext import plan as plan_search
from .pages.sitefiles import SiteFilesGenerator
from .pages.taxonomies import skip_unwritten
from .pages.themes import install_translations, support_any_theme
from .posts.articlefields import name_tags
from .posts.entities import EntitiesGenerator
from .posts.extras import add_filters
from .posts.posts import add_seed_articles, print_summary
from .posts.redirects import RedirectsGenerator
from .posts.urlmemory import assign_post_urls, save_memory
from .posts.urls import freeze_pages
from .publish.parallel import remember_generators, share_output
from .publish.publish import stage_builds
from .publish.uptodate import memory_after_saved, memory_before_saved
from .settings import apply_defaults
from .store import save_pending
from .tagging.editorial import check_editorial_file


def _initialized(pelican):
    apply_defaults(pelican.settings)
    check_editorial_file(pelican.settings)  # a broken file stops the build before it starts
    stage_builds(pelican)


def _get_generators(pelican):
    # In this order: the second and third read the first.
    return EntitiesGenerator, RedirectsGenerator, SiteFilesGenerator


def _name_tags(generators):
    context = generators[0].context  # all generators share it
    name_tags(context["articles"], context.get("entity_pages", {}))


def register():
    # At exit, the collector's last passes over a big site's objects take most of
    # a second (at 10,000 posts), to free memory the process gives back anyway.
    atexit.register(gc.freeze)
    signals.initialized.connect(_initialized)
    signals.initialized.connect(add_filters)
    signals.initialized.connect(support_any_theme)
    signals.generator_init.connect(install_translations)
    signals.article_generator_pretaxonomy.connect(add_seed_articles)
    signals.article_generator_pretaxonomy.connect(assign_post_urls)  # after the line above
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_name_tags)
    signals.all_generators_finalized.connect(remember_generators)
    signals.all_generators_finalized.connect(skip_unwritten)  # after _name_tags
    signals.all_generators_finalized.connect(plan_search)  # before pages are written
    signals.get_writer.connect(share_output)
    signals.finalized.connect(print_summary)
    signals.finalized.connect(save_pending)
    signals.finalized.connect(finish_search)  # indexes the staged build, before publish.py moves it
    signals.finalized.connect(memory_before_saved)  # the build's own write told from others'
    signals.finalized.connect(save_memory)
    signals.finalized.connect(memory_after_saved)
    signals.page_generator_finalized.connect(freeze_pages)
