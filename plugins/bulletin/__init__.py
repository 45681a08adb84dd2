"""Bulletin: a Pelican plugin that turns plain-text seeds into tagged posts,
entity pages and feeds."""

import atexit
import gc

from pelican import signals

from .articlefields import name_tags
from .entities import EntitiesGenerator
from .extras import add_filters
from .fulltext import finish as finish_search
from .fulltext import plan as plan_search
from .parallel import remember_generators, share_output
from .posts import add_seed_articles, print_summary
from .publish import stage_builds
from .redirects import RedirectsGenerator
from .settings import apply_defaults
from .sitefiles import SiteFilesGenerator
from .store import save_pending
from .tagging.editorial import check_editorial_file
from .taxonomies import skip_unwritten
from .themes import install_translations, support_any_theme
from .urlmemory import assign_post_urls, save_memory
from .urls import freeze_pages


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
    signals.finalized.connect(save_memory)
    signals.page_generator_finalized.connect(freeze_pages)
