"""Which of the plugin's functions each Pelican signal calls during a build.

wire() runs when a build starts (publish.build_starts, sent once the up-to-date
check found something changed): a run with nothing changed never imports this
module, nor the tagger, pages and feeds code it imports. Connecting a handler
twice (a second build in one process) changes nothing; the order of the
connections below is the order the handlers of one signal run in.
"""

from pelican import signals

from .pages import settled
from .pages.compiled import keep_compiled
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
from .publish.publish import rendered
from .publish.uptodate import memory_after_saved, memory_before_saved
from .store import save_pending
from .tagging.editorial import check_editorial_file


def wire(pelican) -> None:
    """The build's settings (the editorial file checked first: a broken one
    stops the build before it starts), and its signal handlers."""
    check_editorial_file(pelican.settings)
    add_filters(pelican)
    support_any_theme(pelican)
    keep_compiled(pelican.settings)  # after the line above, which sets the extensions
    signals.generator_init.connect(install_translations)
    signals.article_generator_pretaxonomy.connect(add_seed_articles)
    signals.article_generator_pretaxonomy.connect(assign_post_urls)  # after the line above
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_name_tags)
    signals.all_generators_finalized.connect(remember_generators)
    signals.all_generators_finalized.connect(skip_unwritten)  # after _name_tags
    signals.all_generators_finalized.connect(plan_search)  # before pages are written
    signals.all_generators_finalized.connect(settled.plan)  # after everything is annotated
    signals.get_writer.connect(share_output)
    signals.finalized.connect(print_summary)
    signals.finalized.connect(save_pending)
    signals.finalized.connect(_save_settled)
    signals.finalized.connect(finish_search)  # indexes the staged build, before publish.py moves it
    signals.finalized.connect(memory_before_saved)  # the build's own write told from others'
    signals.finalized.connect(save_memory)
    signals.finalized.connect(memory_after_saved)
    signals.page_generator_finalized.connect(freeze_pages)


def _get_generators(pelican):
    # In this order: the second and third read the first.
    return EntitiesGenerator, RedirectsGenerator, SiteFilesGenerator


def _save_settled(*_):
    settled.save(rendered())


def _name_tags(generators):
    context = generators[0].context  # all generators share it
    name_tags(context["articles"], context.get("entity_pages", {}))
